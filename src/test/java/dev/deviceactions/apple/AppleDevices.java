package dev.deviceactions.apple;

import static dev.deviceactions.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.apple.sim.Certificates;
import dev.deviceactions.apple.sim.Identity;
import dev.deviceactions.support.Api;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Apple devices for the tests: a device record, its profile, its identity and its enrollment. */
final class AppleDevices {
  private AppleDevices() {}

  /** A device record (with its agent token) and the simulated device that enrolled with it. */
  record Enrolled(Api.EnrolledDevice record, AppleDevice device) {
    String id() {
      return record.id();
    }
  }

  static final Map<AppleDevice.Model, String> PLATFORMS =
      Map.of(
          AppleDevice.Model.mac,
          "macOS",
          AppleDevice.Model.iPhone,
          "iOS",
          AppleDevice.Model.iPad,
          "iPadOS");

  /** A device record of the model's platform; {@code facts} override the defaults. */
  static Api.EnrolledDevice record(AppleDevice.Model model, Map<String, Object> facts) {
    Map<String, Object> body = new HashMap<>();
    body.put("platform", PLATFORMS.get(model));
    body.put("osVersion", "13.0");
    body.putAll(facts);
    return Api.enroll(body);
  }

  static byte[] profile(String deviceId) {
    return asAdmin()
        .post("/api/v1/devices/" + deviceId + "/appleEnrollmentProfile")
        .then()
        .statusCode(200)
        .extract()
        .asByteArray();
  }

  /** The device with a profile and an identity, not yet authenticated. */
  static AppleDevice withIdentity(AppleDevice.Model model, String deviceId) {
    AppleDevice.Profile profile = AppleDevice.Profile.parse(profile(deviceId));
    Identity identity = Certificates.issuedByTestCa(UUID.fromString(deviceId));
    return new AppleDevice(model, profile, identity);
  }

  /**
   * A device enrolled over Apple MDM (Authenticate, TokenUpdate with or without an UnlockToken)
   * whose inventory commands were answered, so that its queue holds only remote actions.
   */
  static Enrolled enrolled(
      AppleDevice.Model model, Map<String, Object> facts, boolean unlockToken) {
    Api.EnrolledDevice record = record(model, facts);
    AppleDevice device = withIdentity(model, record.id());
    // The device reports these facts itself, in its inventory answers.
    device.supervised(Boolean.TRUE.equals(facts.get("supervised")));
    device.passcodePresent(!Boolean.FALSE.equals(facts.get("passcodeSet")));
    assertEquals(200, device.authenticate().status());
    assertEquals(200, device.tokenUpdate(unlockToken).status());
    List<AppleDevice.Command> inventory = device.drain();
    assertEquals(
        List.of("DeviceInformation", "SecurityInfo"),
        inventory.stream().map(AppleDevice.Command::requestType).toList());
    return new Enrolled(record, device);
  }

  static Enrolled mac() {
    return enrolled(AppleDevice.Model.mac, Map.of("passcodeSet", true), false);
  }

  static Enrolled iPhone() {
    return enrolled(AppleDevice.Model.iPhone, Map.of(), true);
  }
}
