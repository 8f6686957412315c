package dev.deviceactions.apple;

import static dev.deviceactions.apple.NoPushCertificateProfile.APNS;
import static dev.deviceactions.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.deviceactions.apple.AppleDevices.Enrolled;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without a push certificate nothing is pushed: devices collect their commands at their next
 * connect, and the device view says so.
 */
@QuarkusTest
@TestProfile(NoPushCertificateProfile.class)
class NoPushCertificateTest {
  @Inject ApplePush push;

  @Test
  void nothingIsPushedAndPushIsNotConfigured() {
    assertFalse(push.configured());
    Enrolled phone = AppleDevices.iPhone();
    String lock =
        asAdmin()
            .post("/api/v1/devices/" + phone.id() + "/remoteLock")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    boolean pushConfigured =
        asAdmin()
            .get("/api/v1/devices/" + phone.id())
            .then()
            .extract()
            .path("appleMdm.pushConfigured");
    assertFalse(pushConfigured);

    ApnsReceiver.pause(ApplePushTest.SETTLE_MILLIS);
    assertEquals(List.of(), APNS.all());
    assertEquals(0, ApplePushTest.metric("device_actions_apple_push_delay_seconds_count"));
    assertEquals(lock, phone.device().idle().command().uuid(), "the next connect gets the lock");
  }
}
