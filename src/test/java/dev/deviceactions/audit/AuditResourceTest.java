package dev.deviceactions.audit;

import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The audit trail: who (upn, else preferred_username, else sub) did what to which device. */
@QuarkusTest
class AuditResourceTest {

  @Test
  void theActorIsUpnElsePreferredUsernameElseSub() {
    String bySub =
        enrollAs(
            Jwt.subject("svc-7f3")
                .groups(Set.of("admin"))
                .issuer(Api.ISSUER)
                .sign(Api.signingKey()));
    String byName =
        enrollAs(
            Jwt.subject("s-1")
                .claim("preferred_username", "bob")
                .groups(Set.of("admin"))
                .issuer(Api.ISSUER)
                .sign(Api.signingKey()));
    String byUpn = enrollAs(Api.token("carol@example.com", "admin"));

    actorOf(bySub, "svc-7f3");
    actorOf(byName, "bob");
    actorOf(byUpn, "carol@example.com");
  }

  @Test
  void enrollmentRemovalAndRevealsAreRecorded() {
    Api.EnrolledDevice mac = Api.mac();
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);
    asAdmin().get("/api/v1/devices/" + mac.id() + "/secrets").then().statusCode(200);
    asAdmin().delete("/api/v1/devices/" + mac.id()).then().statusCode(204);

    asAdmin()
        .queryParam("deviceId", mac.id())
        .get("/api/v1/audit-events")
        .then()
        .statusCode(200)
        .body(
            "items.activity",
            org.hamcrest.Matchers.contains(
                "deviceRemoved", "secretRevealed", "actionRequested", "deviceEnrolled"));
    asAdmin()
        .queryParam("deviceId", mac.id())
        .queryParam("activity", "secretRevealed")
        .get("/api/v1/audit-events")
        .then()
        .body("items", hasSize(1))
        .body("items[0].detail", equalTo("recoveryPin"));
  }

  @Test
  void needsAuditReadAndValidFilters() {
    as("devices.read").get("/api/v1/audit-events").then().statusCode(403);
    given().get("/api/v1/audit-events").then().statusCode(401);
    asAdmin()
        .queryParam("since", "yesterday")
        .get("/api/v1/audit-events")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("since"));
    asAdmin().queryParam("deviceId", "x").get("/api/v1/audit-events").then().statusCode(400);
  }

  private static String enrollAs(String token) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "n", "platform", "iOS", "osVersion", "17"))
        .post("/api/v1/devices")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static void actorOf(String deviceId, String actor) {
    asAdmin()
        .queryParam("deviceId", deviceId)
        .get("/api/v1/audit-events")
        .then()
        .body("items[0].actor", equalTo(actor))
        .body("items[0].activity", equalTo("deviceEnrolled"));
  }
}
