package dev.deviceactions.console;

import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;

import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.apple.sim.Certificates;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import io.restassured.http.ContentType;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The small fleet the browser test works on, enrolled through the API and brought to varied states
 * through the agent API. Every serial number holds {@code tag}, so a search for it finds just this
 * fleet.
 */
record ConsoleFleet(String tag, String mac, String pc, String mdm, String mdmUdid) {

  static ConsoleFleet enroll() {
    String tag =
        "E2E" + HexFormat.of().withUpperCase().toHexDigits((short) new SecureRandom().nextInt());
    device(tag, 1, "Ana's MacBook Pro", "macOS", "14.5", Map.of("owner", "ana@example.com"));
    EnrolledDevice pc =
        device(
            tag, 2, "Reception PC", "windows", "10.0.22631", Map.of("owner", "desk@example.com"));
    finish(pc, Api.request(pc, "rebootNow"), "done");
    EnrolledDevice ipad =
        device(tag, 3, "Warehouse iPad", "iPadOS", "17.4", Map.of("supervised", true));
    Api.request(ipad, "resetPasscode");
    checkIn(ipad);
    EnrolledDevice kiosk =
        device(tag, 4, "Lobby kiosk", "android", "13.0", Map.of("managementMode", "dedicated"));
    asAdmin()
        .post("/api/v1/device-actions/" + Api.request(kiosk, "rebootNow") + "/cancel")
        .then()
        .statusCode(200);
    Api.request(kiosk, "rebootNow");
    EnrolledDevice phone =
        device(
            tag,
            5,
            "Field phone",
            "windowsPhone",
            "10.0.14393",
            Map.of("owner", "sam@example.com"));
    finish(phone, Api.request(phone, "resetPin"), "failed");
    EnrolledDevice iphone =
        device(tag, 6, "Ben's iPhone", "iOS", "17.4", Map.of("owner", "ben@example.com"));
    finish(iphone, Api.request(iphone, "remoteLock"), "done");
    EnrolledDevice managed = device(tag, 7, "Chris's iPhone", "iOS", "17.4", Map.of());
    AppleDevice overMdm = overAppleMdm(managed, "Chris's iPhone", tag + "-07");
    return new ConsoleFleet(
        tag, "Ana's MacBook Pro", "Reception PC", "Chris's iPhone", overMdm.udid);
  }

  /** Enrolls the device in Apple MDM as a simulated iPhone that reports the record's facts. */
  private static AppleDevice overAppleMdm(EnrolledDevice device, String name, String serial) {
    byte[] profile =
        asAdmin()
            .post("/api/v1/devices/" + device.id() + "/appleEnrollmentProfile")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    AppleDevice iphone =
        new AppleDevice(
            AppleDevice.Model.iPhone,
            AppleDevice.Profile.parse(profile),
            Certificates.issuedByTestCa(UUID.fromString(device.id())));
    iphone.named(name, serial).authenticate();
    iphone.tokenUpdate(true);
    iphone.drain();
    return iphone;
  }

  private static EnrolledDevice device(
      String tag, int n, String name, String platform, String osVersion, Map<String, Object> more) {
    Map<String, Object> facts = new HashMap<>(more);
    facts.put("name", name);
    facts.put("platform", platform);
    facts.put("osVersion", osVersion);
    facts.put("serialNumber", tag + "-0" + n);
    return Api.enroll(facts);
  }

  private static void checkIn(EnrolledDevice device) {
    asDevice(device).post("/agent/v1/checkin").then().statusCode(200);
  }

  /** The device collects its command and reports {@code status} for it. */
  private static void finish(EnrolledDevice device, String actionId, String status) {
    checkIn(device);
    asDevice(device)
        .contentType(ContentType.JSON)
        .body(Map.of("status", status))
        .post("/agent/v1/actions/" + actionId + "/result")
        .then()
        .statusCode(204);
  }
}
