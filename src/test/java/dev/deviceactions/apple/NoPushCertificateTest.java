package dev.deviceactions.apple;

import static dev.deviceactions.apple.NoPushCertificateProfile.APNS;
import static dev.deviceactions.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without a push certificate nothing is pushed: devices collect their commands at their next
 * connect.
 */
@QuarkusTest
@TestProfile(NoPushCertificateProfile.class)
class NoPushCertificateTest {
  @Inject ApplePush push;

  @Test
  void nothingIsPushedAndPushIsNotConfigured() {
    assertFalse(push.configured());
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    asAdmin().post("/api/v1/devices/" + iphone.id() + "/remoteLock").then().statusCode(202);

    ApnsReceiver.pause(ApplePushTest.SETTLE_MILLIS);
    assertEquals(List.of(), APNS.all());
    assertEquals(0, ApplePushTest.metric("device_actions_apple_push_delay_seconds_count"));
  }
}
