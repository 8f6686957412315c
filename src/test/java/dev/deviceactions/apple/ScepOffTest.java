package dev.deviceactions.apple;

import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without its device CA, Apple MDM is off: every SCEP operation, a profile request and every MDM
 * message answer 503 naming the missing settings, and nothing else is affected.
 */
@QuarkusTest
@TestProfile(ScepOffTest.NoDeviceCa.class)
class ScepOffTest {

  /** A production-like instance whose operator set no device CA. */
  public static class NoDeviceCa implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("device-actions.apple.ca-cert", "", "device-actions.apple.ca-key", "");
    }
  }

  @Test
  void everyScepOperationAnswers503NamingTheMissingSettings() {
    offline(given().queryParam("operation", "GetCACaps").get(ScepTest.SCEP));
    offline(given().queryParam("operation", "GetCACert").get(ScepTest.SCEP));
    offline(
        given()
            .queryParam("operation", "PKIOperation")
            .queryParam("message", "AAAA")
            .get(ScepTest.SCEP));
    offline(given().body(new byte[] {1, 2, 3}).post(ScepTest.SCEP + "?operation=PKIOperation"));
  }

  @Test
  void neitherProfilesNorMdmMessagesAreServed() {
    String mac = dev.deviceactions.support.Api.mac().id();
    offline(asAdmin().post("/api/v1/devices/" + mac + "/appleEnrollmentProfile"));
    offline(given().body("<plist/>").put("/mdm/apple/connect"));
    offline(given().body("<plist/>").header("Mdm-Signature", "AAAA").put("/mdm/apple/checkin"));
  }

  @Test
  void theRestOfTheServiceWorks() {
    asAdmin().get("/api/v1/devices").then().statusCode(200);
    String mac = dev.deviceactions.support.Api.mac().id();
    asAdmin().post("/api/v1/devices/" + mac + "/remoteLock").then().statusCode(202);
  }

  static void offline(Response response) {
    response
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("code", equalTo("serviceUnavailable"))
        .body("detail", containsString("device-actions.apple.ca-cert"))
        .body(
            "missingSettings",
            contains("device-actions.apple.ca-cert", "device-actions.apple.ca-key"));
  }
}
