package dev.deviceactions.apple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.apple.sim.ScepClient;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.AppleChallenges;
import dev.deviceactions.support.ShortDurations;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** An enrollment challenge is good for device-actions.apple.enrollment-ttl only (here 5 s). */
@QuarkusTest
@TestProfile(ShortDurations.class)
class ScepExpiryTest {

  @Test
  void anExpiredChallengeGetsFailureBadRequestAndNoCertificate() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    String challenge = AppleChallenges.issue(mac.id());

    Thread.sleep(ShortDurations.PAST_LIFETIME_MILLIS);

    ScepClient.Refused refused =
        assertThrows(
            ScepClient.Refused.class, () -> ScepClient.enroll(ScepTest.scepUrl(), challenge));
    assertEquals("2", refused.reply.failInfo(), "badRequest");
    assertTrue(AppleChallenges.unspent(mac.id()), "nothing changed");
  }
}
