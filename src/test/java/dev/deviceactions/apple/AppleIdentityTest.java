package dev.deviceactions.apple;

import static dev.deviceactions.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.apple.AppleDevices.Enrolled;
import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.apple.sim.Certificates;
import dev.deviceactions.apple.sim.Identity;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may speak for a device, and bad input: every message must be signed by the certificate the
 * device CA issued for its record and its UDID was bound to; anything else is a 401 problem that
 * changes nothing. Bodies that are no plist, too large, or of an unknown status are refused too.
 */
@QuarkusTest
class AppleIdentityTest {

  @Test
  void aMessageWithoutSignatureIsRefused() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());
    byte[] idle = idleOf(phone);

    assertRefused(AppleDevice.put(connectUrl(), idle, null, null), 401, "unauthorized");
    assertUntouched(lock);
  }

  @Test
  void aSignatureOverAnotherBodyIsRefused() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());
    String signature = phone.device().sign("something else".getBytes(StandardCharsets.UTF_8));

    assertRefused(
        AppleDevice.put(connectUrl(), idleOf(phone), null, signature), 401, "unauthorized");
    assertRefused(
        AppleDevice.put(connectUrl(), idleOf(phone), null, "bm90IGNtcw=="), 401, "unauthorized");
    assertUntouched(lock);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());
    phone.device().use(Certificates.issuedByAnotherCa(UUID.fromString(phone.id())));

    assertRefused(phone.device().idle(), 401, "unauthorized");
    assertUntouched(lock);
  }

  @Test
  void anExpiredCertificateIsRefused() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());
    Instant now = Instant.now();
    phone
        .device()
        .use(
            Certificates.issued(
                UUID.fromString(phone.id()),
                now.minus(Duration.ofDays(400)),
                now.minus(Duration.ofDays(35))));

    assertRefused(phone.device().idle(), 401, "unauthorized");
    assertUntouched(lock);
  }

  @Test
  void aUdidBoundToAnotherCertificateIsRefused() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());
    // Another certificate the CA issued for the same record: not the one the UDID is bound to.
    Identity another = Certificates.issuedByTestCa(UUID.fromString(phone.id()));
    phone.device().use(another);

    assertRefused(phone.device().idle(), 401, "unauthorized");
    assertRefused(phone.device().tokenUpdate(true), 401, "unauthorized");
    assertUntouched(lock);
  }

  @Test
  void anotherEnrolledDeviceCannotSpeakForThisUdid() {
    Enrolled victim = AppleDevices.iPhone();
    Enrolled intruder = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(victim.id(), Map.of());

    AppleDevice.Reply reply =
        intruder
            .device()
            .connect(AppleDevice.message("UDID", victim.device().udid, "Status", "Idle"));
    assertRefused(reply, 401, "unauthorized");
    AppleDevice.Reply authenticate =
        intruder
            .device()
            .checkin(
                AppleDevice.message(
                    "MessageType", "Authenticate",
                    "UDID", victim.device().udid,
                    "Topic", "com.apple.mgmt.External.device-actions-test"));
    assertRefused(authenticate, 401, "unauthorized");
    assertUntouched(lock);
    assertEquals(lock, victim.device().idle().command().uuid());
  }

  @Test
  void aResultForAnotherDevicesCommandChangesNothing() {
    Enrolled victim = AppleDevices.iPhone();
    Enrolled other = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(victim.id(), Map.of());
    AppleDevice.Command handed = victim.device().idle().command();

    AppleDevice.Reply reply = other.device().acknowledged(handed);

    assertEquals(200, reply.status());
    assertEquals("active", AppleCommandsTest.state(lock));
  }

  @Test
  void aBodyThatIsNoPlistIsABadRequest() {
    Enrolled phone = AppleDevices.iPhone();
    byte[] garbage = "{\"UDID\": \"x\"}".getBytes(StandardCharsets.UTF_8);
    assertRefused(
        AppleDevice.put(connectUrl(), garbage, null, phone.device().sign(garbage)),
        400,
        "invalidRequest");
  }

  @Test
  void aPlistWithoutStatusOrWithAnUnknownOneIsABadRequest() {
    Enrolled phone = AppleDevices.iPhone();
    assertRefused(
        phone.device().connect(AppleDevice.message("UDID", phone.device().udid)),
        400,
        "invalidRequest");
    assertRefused(
        phone.device().connect(AppleDevice.message("UDID", phone.device().udid, "Status", "Maybe")),
        400,
        "invalidRequest");
    assertRefused(
        phone.device().checkin(AppleDevice.message("UDID", phone.device().udid)),
        400,
        "invalidRequest");
  }

  @Test
  void aBodyOver64KiBIsTooLarge() {
    Enrolled phone = AppleDevices.iPhone();
    byte[] large = new byte[65 * 1024];
    java.util.Arrays.fill(large, (byte) 'a');
    assertRefused(
        AppleDevice.put(connectUrl(), large, null, phone.device().sign(large)),
        413,
        "payloadTooLarge");
  }

  private static byte[] idleOf(Enrolled device) {
    return AppleDevice.plist(AppleDevice.message("UDID", device.device().udid, "Status", "Idle"));
  }

  private static URI connectUrl() {
    return URI.create("http://localhost:" + io.restassured.RestAssured.port + "/mdm/apple/connect");
  }

  private static void assertRefused(AppleDevice.Reply reply, int status, String code) {
    assertEquals(status, reply.status(), reply.asText());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
    assertTrue(reply.asText().contains("\"code\":\"" + code + "\""), reply.asText());
  }

  /** The lock was neither handed over nor touched. */
  private static void assertUntouched(String actionId) {
    asAdmin()
        .get("/api/v1/device-actions/" + actionId)
        .then()
        .body("state", org.hamcrest.Matchers.equalTo("pending"));
  }
}
