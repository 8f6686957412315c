package dev.deviceactions.common;

import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What operators rely on: metrics to scrape, and logs that never hold a secret. */
@QuarkusTest
class OperationsTest {

  @Test
  void metricsCountRequestsTransitionsCheckInsAndSweeps() {
    Api.EnrolledDevice windows = Api.windows();
    asAdmin().post("/api/v1/devices/" + windows.id() + "/rebootNow").then().statusCode(202);
    asAdmin().post("/api/v1/devices/" + windows.id() + "/remoteLock").then().statusCode(422);
    asDevice(windows).post("/agent/v1/checkin").then().statusCode(200);
    asAdmin().post("/api/v1/maintenance/sweep").then().statusCode(200);

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "device_actions_requests_total{action=\"rebootNow\",outcome=\"accepted\"}"))
        .body(
            containsString(
                "device_actions_requests_total{action=\"remoteLock\",outcome=\"actionNotSupported\"}"))
        .body(containsString("device_actions_checkins_total"))
        .body(containsString("device_actions_sweep_duration_seconds_count"));
  }

  @Test
  void noPinPasscodeOrDeviceTokenIsEverLogged() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);
    String pin = Api.secret(mac, "recoveryPin.value");
    asDevice(mac).post("/agent/v1/checkin").then().statusCode(200);
    Api.EnrolledDevice ipad = Api.enroll(Map.of("platform", "iPadOS", "osVersion", "17.4"));
    asAdmin().post("/api/v1/devices/" + ipad.id() + "/resetPasscode").then().statusCode(202);
    String passcode = Api.secret(ipad, "temporaryPasscode.value");

    String log = Files.readString(Path.of("target/quarkus-test.log"));
    assertTrue(log.contains("for device " + mac.id()), "the log holds this flow");
    assertFalse(standsAlone(log, pin), "the recovery PIN is in the log");
    assertFalse(standsAlone(log, passcode), "the temporary passcode is in the log");
    assertFalse(log.contains(mac.token()), "a device token is in the log");
  }

  /** The value as a token of its own, not inside a longer run of digits or hex (ids, times). */
  private static boolean standsAlone(String text, String value) {
    return Pattern.compile("(?<![0-9a-fA-F])" + value + "(?![0-9a-fA-F])").matcher(text).find();
  }
}
