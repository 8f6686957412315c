package dev.deviceactions.device;

import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The device inventory: enroll, list, overview, remove, and what bad input gets. */
@QuarkusTest
class DeviceResourceTest {
  final Pool database = TestDatabase.pool();

  @Test
  void enrollmentAnswers201WithLocationAndTheTokenOnce() {
    String id =
        asAdmin()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "name",
                    "Ana's iPhone",
                    "platform",
                    "iOS",
                    "osVersion",
                    "17.4",
                    "supervised",
                    true))
            .post("/api/v1/devices")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/devices/"))
            .body("platform", equalTo("iOS"))
            .body("managementMode", nullValue())
            .body("supportedActions", contains("resetPasscode", "removePasscode", "rebootNow"))
            .body("deviceToken", notNullValue())
            .extract()
            .path("id");

    asAdmin()
        .get("/api/v1/devices/" + id)
        .then()
        .statusCode(200)
        .body("$", not(org.hamcrest.Matchers.hasKey("deviceToken")));
  }

  @Test
  void onlyTheTokensSha256IsStored() {
    Api.EnrolledDevice device = Api.mac();
    Row row =
        database
            .preparedQuery("select token_hash from device where id = $1")
            .execute(Tuple.of(UUID.fromString(device.id())))
            .await()
            .indefinitely()
            .iterator()
            .next();
    byte[] stored = row.getBuffer("token_hash").getBytes();
    assertEquals(32, stored.length);
    assertEquals(
        java.util.Arrays.toString(DeviceTokens.hash(device.token())),
        java.util.Arrays.toString(stored));
    assertNotEquals(device.token(), new String(stored, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void overviewShowsFactsSupportedActionsAndNoActionYet() {
    Api.EnrolledDevice device = Api.android("fullyManaged", "6.0");
    asAdmin()
        .get("/api/v1/devices/" + device.id())
        .then()
        .statusCode(200)
        .body("managementMode", equalTo("fullyManaged"))
        .body("supportedActions", contains("remoteLock", "rebootNow"))
        .body("latestAction", nullValue())
        .body("recoveryPinAvailable", equalTo(false));
  }

  @Test
  void overviewGivesTheReasonForEveryActionNotOffered() {
    Api.EnrolledDevice android = Api.android("fullyManaged", "6.0");
    asAdmin()
        .get("/api/v1/devices/" + android.id())
        .then()
        .statusCode(200)
        .body(
            "unsupportedActions",
            equalTo(
                Map.of(
                    "resetPasscode", "managementMode",
                    "removePasscode", "managementMode",
                    "resetPin", "platform")));
    Api.EnrolledDevice lockless = Api.enroll(Map.of("passcodeSet", false));
    asAdmin()
        .get("/api/v1/devices/" + lockless.id())
        .then()
        .statusCode(200)
        .body("supportedActions", hasSize(0))
        .body("unsupportedActions.remoteLock", equalTo("noPasscode"))
        .body("unsupportedActions.rebootNow", equalTo("platform"));
  }

  @Test
  void listFiltersByPlatformAndTextAndPagesWithoutSkippingOrRepeating() {
    String tag = "fleet-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      Api.enroll(Map.of("name", tag + "-" + i, "platform", "windows", "osVersion", "10.0"));
    }
    Api.enroll(Map.of("name", tag + "-mac"));

    var page =
        asAdmin()
            .queryParam("q", tag)
            .queryParam("platform", "windows")
            .queryParam("limit", 3)
            .get("/api/v1/devices")
            .then()
            .statusCode(200)
            .body("items", hasSize(3))
            .extract();
    List<String> first = page.path("items.name");
    String cursor = page.path("nextCursor");
    List<String> second =
        asAdmin()
            .queryParam("q", tag)
            .queryParam("platform", "windows")
            .queryParam("limit", 3)
            .queryParam("cursor", cursor)
            .get("/api/v1/devices")
            .then()
            .statusCode(200)
            .body("nextCursor", nullValue())
            .extract()
            .path("items.name");

    assertEquals(List.of(tag + "-4", tag + "-3", tag + "-2"), first);
    assertEquals(List.of(tag + "-1", tag + "-0"), second);
  }

  @Test
  void removalAnswers204AndThenTheDeviceIsGone() {
    Api.EnrolledDevice device = Api.mac();
    asAdmin().delete("/api/v1/devices/" + device.id()).then().statusCode(204);
    asAdmin()
        .get("/api/v1/devices/" + device.id())
        .then()
        .statusCode(404)
        .body("code", equalTo("deviceNotFound"));
    asAdmin().delete("/api/v1/devices/" + device.id()).then().statusCode(404);
    Api.asDevice(device).post("/agent/v1/checkin").then().statusCode(401);
  }

  @Test
  void managementModeIsRequiredForAndroidAndRefusedElsewhere() {
    enrollInvalid(Map.of("name", "a", "platform", "android", "osVersion", "12"), "managementMode");
    enrollInvalid(
        Map.of("name", "m", "platform", "macOS", "osVersion", "14", "managementMode", "dedicated"),
        "managementMode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "17.", "seventeen", "1.2.3.4.5", "17,4"})
  void osVersionMustBeDottedNumbers(String osVersion) {
    enrollInvalid(Map.of("name", "x", "platform", "iOS", "osVersion", osVersion), "osVersion");
  }

  @Test
  void missingFieldsUnknownEnumsWrongTypesAndBrokenJsonAre400() {
    enrollInvalid(Map.of("platform", "iOS", "osVersion", "17"), "name");
    enrollInvalid(Map.of("name", "x", "platform", "blackberry", "osVersion", "7"), "platform");
    enrollInvalid(
        Map.of("name", "x", "platform", "iOS", "osVersion", "17", "supervised", "maybe"),
        "supervised");
    asAdmin()
        .contentType(ContentType.JSON)
        .body("{\"name\": ")
        .post("/api/v1/devices")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalidRequest"))
        .body("detail", not(containsString("Exception")));
    asAdmin()
        .contentType(ContentType.JSON)
        .post("/api/v1/devices")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalidRequest"));
  }

  @Test
  void badIdsLimitsCursorsAndFiltersAre400() {
    asAdmin()
        .get("/api/v1/devices/not-a-uuid")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
    asAdmin()
        .queryParam("limit", 0)
        .get("/api/v1/devices")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limit"));
    asAdmin().queryParam("limit", 501).get("/api/v1/devices").then().statusCode(400);
    asAdmin().queryParam("limit", "ten").get("/api/v1/devices").then().statusCode(400);
    asAdmin()
        .queryParam("cursor", "garbage!")
        .get("/api/v1/devices")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("cursor"));
    asAdmin()
        .queryParam("platform", "palm")
        .get("/api/v1/devices")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("platform"));
  }

  @Test
  void unknownDeviceIs404() {
    asAdmin()
        .get("/api/v1/devices/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("deviceNotFound"));
  }

  @Test
  void credentialsAndRolesAreChecked() {
    given()
        .get("/api/v1/devices")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", equalTo("Bearer"))
        .body("code", equalTo("unauthorized"));
    given()
        .auth()
        .oauth2("not.a.jwt")
        .get("/api/v1/devices")
        .then()
        .statusCode(401)
        .body("code", equalTo("unauthorized"));
    given().auth().oauth2(Api.mac().token()).get("/api/v1/devices").then().statusCode(401);
    as("audit.read")
        .get("/api/v1/devices")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    as("devices.read")
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "platform", "iOS", "osVersion", "17"))
        .post("/api/v1/devices")
        .then()
        .statusCode(403);
    as("devices.read").get("/api/v1/devices").then().statusCode(200);
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", org.hamcrest.Matchers.hasItem("Database schema"));
    given().get("/somewhere/else").then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void bodiesOver64KiBAre413AndNonJsonIs415() {
    String big = "x".repeat(70 * 1024);
    asAdmin()
        .contentType(ContentType.JSON)
        .body(Map.of("name", big, "platform", "iOS", "osVersion", "17"))
        .post("/api/v1/devices")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("code", equalTo("payloadTooLarge"));
    asAdmin()
        .contentType(ContentType.TEXT)
        .body("name=x")
        .post("/api/v1/devices")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("code", equalTo("unsupportedMediaType"));
  }

  private static void enrollInvalid(Map<String, Object> body, String field) {
    asAdmin()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/devices")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalidRequest"))
        .body("errors.field", org.hamcrest.Matchers.hasItem(field));
  }
}
