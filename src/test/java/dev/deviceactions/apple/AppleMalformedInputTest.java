package dev.deviceactions.apple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.apple.AppleDevices.Enrolled;
import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.apple.sim.Certificates;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A seeded storm of bad Apple MDM messages at the check-in and connect endpoints: bodies that are
 * no plist, plists of the wrong shape, entity tricks, oversized fields; signed by the device, by a
 * foreign certificate, over another body, or not at all. Every answer is a 4xx problem+json (or a
 * 200 for a well-formed message that changes nothing), never a 5xx, and the device's pending lock
 * is neither handed over nor touched.
 */
@QuarkusTest
class AppleMalformedInputTest {
  static final long SEED = 25;

  static final List<String> BODIES =
      List.of(
          "",
          "not a plist",
          "{\"UDID\": \"%s\", \"Status\": \"Idle\"}",
          "<plist version=\"1.0\"><dict><key>UDID</key><string>%s</string></dict></plist>",
          "<plist version=\"1.0\"><dict><key>UDID</key><integer>7</integer><key>Status</key>"
              + "<string>Idle</string></dict></plist>",
          "<plist version=\"1.0\"><dict><key>UDID</key><string>%s</string><key>Status</key>"
              + "<array><string>Idle</string></array></dict></plist>",
          "<plist version=\"1.0\"><dict><key>UDID</key><string>%s</string><key>Status</key>"
              + "<string>Maybe</string></dict></plist>",
          "<plist version=\"1.0\"><dict><key>UDID</key><string>%s</string><key>Status</key>"
              + "<string>Acknowledged</string><key>CommandUUID</key><string>not-a-uuid</string>"
              + "</dict></plist>",
          "<plist version=\"1.0\"><dict><key>UDID</key><string>%s</string><key>MessageType</key>"
              + "<string>Wipe</string></dict></plist>",
          "<plist version=\"1.0\"><dict><key>UDID</key><string>%s</string><key>MessageType</key>"
              + "<string>TokenUpdate</string></dict></plist>",
          "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
              + "<plist version=\"1.0\"><dict><key>UDID</key><string>&x;</string><key>Status</key>"
              + "<string>Idle</string></dict></plist>",
          "<plist version=\"1.0\"><array>" + "<array>".repeat(5000) + "</array></plist>",
          "<plist version=\"1.0\"><dict><key>UDID</key><string>"
              + "U".repeat(60_000)
              + "</string></dict></plist>",
          "bplist00\u0000\u0001garbage",
          "<plist version=\"1.0\"><string>just a string</string></plist>");

  @Test
  void everyBadMdmMessageIsA4xxProblemAndChangesNothing() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());
    AppleDevice foreign =
        new AppleDevice(
            AppleDevice.Model.iPhone,
            null,
            Certificates.issuedByAnotherCa(UUID.fromString(phone.id())));
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 600; i++) {
      String template = BODIES.get(random.nextInt(BODIES.size()));
      byte[] body = template.replace("%s", phone.device().udid).getBytes(StandardCharsets.UTF_8);
      String signature =
          switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> "bm90IGEgc2lnbmF0dXJl";
            case 2 -> phone.device().sign("another body".getBytes(StandardCharsets.UTF_8));
            case 3 -> foreign.sign(body);
            default -> phone.device().sign(body);
          };
      String path = random.nextBoolean() ? "/mdm/apple/connect" : "/mdm/apple/checkin";
      String type = random.nextBoolean() ? null : "application/x-apple-aspen-mdm-checkin";
      AppleDevice.Reply reply = AppleDevice.put(url(path), body, type, signature);
      int status = reply.status();
      boolean problem =
          reply.contentType() != null && reply.contentType().startsWith("application/problem+json");
      refused += status >= 400 && status < 500 ? 1 : 0;
      if (status >= 500 || (status >= 400 && !problem) || reply.asText().contains("root:")) {
        failures.add(i + ": " + status + " " + reply.contentType() + " " + reply.asText());
      }
    }
    assertEquals(List.of(), failures.stream().limit(10).toList(), failures.size() + " bad answers");
    assertTrue(refused > 500, "the storm should be refused, was " + refused + " of 600");
    System.out.println("Apple MDM storm: " + refused + " of 600 refused with 4xx problem+json");
    assertEquals("pending", AppleCommandsTest.state(lock));
    assertEquals(lock, phone.device().idle().command().uuid());
  }

  @Test
  void anExternalEntityIsNeverResolved() throws Exception {
    String hostname = Files.readString(Path.of("/etc/hostname")).strip();
    Enrolled phone = AppleDevices.iPhone();
    byte[] body =
        ("<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                + "<plist version=\"1.0\"><dict><key>UDID</key><string>&x;</string><key>Status</key>"
                + "<string>Idle</string></dict></plist>")
            .getBytes(StandardCharsets.UTF_8);

    AppleDevice.Reply reply =
        AppleDevice.put(url("/mdm/apple/connect"), body, null, phone.device().sign(body));

    // Not resolved: the UDID would be the file's content, bound to no certificate.
    assertTrue(reply.status() == 400 || reply.status() == 401, reply.asText());
    assertFalse(!hostname.isEmpty() && reply.asText().contains(hostname), reply.asText());
  }

  private static URI url(String path) {
    return URI.create("http://localhost:" + RestAssured.port + path);
  }
}
