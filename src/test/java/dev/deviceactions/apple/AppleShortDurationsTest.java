package dev.deviceactions.apple;

import static dev.deviceactions.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deviceactions.apple.AppleDevices.Enrolled;
import dev.deviceactions.apple.sim.AppleDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Restart timeouts hold over Apple MDM as over the agent API (a 5-second timeout here). */
@QuarkusTest
@TestProfile(AppleShortDurationsTest.ShortRestartTimeout.class)
class AppleShortDurationsTest {

  /**
   * A 5-second restart timeout (the restart's delivery must come within it on a busy machine too);
   * the enrollment challenge keeps its default (ShortDurations' 5 s one could expire before SCEP on
   * a busy machine).
   */
  public static class ShortRestartTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("device-actions.restart.timeout", "5s");
    }
  }

  @Test
  void aRestartNotAcknowledgedInTimeFailsAndIsNotSentAgain() throws InterruptedException {
    Enrolled pad = AppleDevices.enrolled(AppleDevice.Model.iPad, Map.of("supervised", true), true);
    String reboot =
        asAdmin()
            .post("/api/v1/devices/" + pad.id() + "/rebootNow")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    AppleDevice.Command command = pad.device().idle().command();
    assertEquals(reboot, command.uuid());

    Thread.sleep(5_500);

    assertNull(pad.device().idle().command());
    assertEquals(200, pad.device().acknowledged(command).status());
    asAdmin()
        .get("/api/v1/device-actions/" + reboot)
        .then()
        .body("state", equalTo("failed"))
        .body("failureReason", equalTo("timedOut"));
  }
}
