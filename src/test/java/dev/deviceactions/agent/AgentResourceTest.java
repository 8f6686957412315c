package dev.deviceactions.agent;

import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The device agent: check-in delivers each command once, results and events, bad input. */
@QuarkusTest
class AgentResourceTest {

  @Test
  void concurrentCheckInsNeverReceiveTheSameCommand() {
    EnrolledDevice windows = Api.windows();
    Set<String> requested = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      requested.add(Api.request(windows, "rebootNow"));
    }
    List<CompletableFuture<List<String>>> checkIns = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      checkIns.add(
          CompletableFuture.supplyAsync(
              () ->
                  asDevice(windows)
                      .post("/agent/v1/checkin")
                      .then()
                      .statusCode(200)
                      .extract()
                      .path("commands.actionId")));
    }
    List<String> delivered = checkIns.stream().flatMap(f -> f.join().stream()).toList();

    assertEquals(5, delivered.size(), delivered.toString());
    assertEquals(requested, new HashSet<>(delivered));
  }

  @Test
  void checkInUpdatesTheFactsTheDeviceReports() {
    EnrolledDevice iphone = Api.enroll(Map.of("platform", "iOS", "osVersion", "16.0"));
    asDevice(iphone)
        .contentType(ContentType.JSON)
        .body(Map.of("osVersion", "17.4", "passcodeSet", false, "supervised", true))
        .post("/agent/v1/checkin")
        .then()
        .statusCode(200);
    asAdmin()
        .get("/api/v1/devices/" + iphone.id())
        .then()
        .body("osVersion", equalTo("17.4"))
        .body("passcodeSet", equalTo(false))
        .body("supervised", equalTo(true))
        .body("lastCheckInAt", notNullValue());
  }

  @Test
  void theDeviceCanSayItCannotDoTheAction() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    asDevice(windows).post("/agent/v1/checkin");
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "notSupported", "detail", "kiosk"))
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(204);
    asAdmin()
        .get("/api/v1/device-actions/" + reboot)
        .then()
        .body("state", equalTo("notSupported"))
        .body("detail", equalTo("kiosk"));
  }

  @Test
  void removingADeviceCancelsWhatItHasNotCollectedAndEndsItsToken() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    asAdmin().delete("/api/v1/devices/" + windows.id()).then().statusCode(204);
    asAdmin().get("/api/v1/device-actions/" + reboot).then().body("state", equalTo("canceled"));
    asDevice(windows).post("/agent/v1/checkin").then().statusCode(401);
  }

  @Test
  void badResultsAndEventsAre400AndChangeNothing() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "exploded"))
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("status"));
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of())
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(400);
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "done", "newPin", "12ab"))
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("newPin"));
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("type", "rebooted"))
        .post("/agent/v1/events")
        .then()
        .statusCode(400);
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("osVersion", "ten"))
        .post("/agent/v1/checkin")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("osVersion"));
    asDevice(windows).post("/agent/v1/actions/not-a-uuid/result").then().statusCode(400);
    asAdmin().get("/api/v1/device-actions/" + reboot).then().body("state", equalTo("pending"));
  }

  @Test
  void aWrongDeviceTokenIs401() {
    io.restassured.RestAssured.given()
        .auth()
        .oauth2("forged")
        .post("/agent/v1/checkin")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("unauthorized"));
    io.restassured.RestAssured.given().post("/agent/v1/checkin").then().statusCode(401);
  }
}
