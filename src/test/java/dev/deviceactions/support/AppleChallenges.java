package dev.deviceactions.support;

import dev.deviceactions.apple.sim.AppleDevice;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * SCEP challenges for test devices, as a device gets one: from the enrollment profile the admin API
 * issues for its record (each new profile voids the older challenge).
 */
public final class AppleChallenges {
  private AppleChallenges() {}

  /** A new challenge for the device, from a new enrollment profile of it. */
  public static String issue(String deviceId) {
    byte[] profile =
        Api.asAdmin()
            .post("/api/v1/devices/" + deviceId + "/appleEnrollmentProfile")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    return AppleDevice.Profile.parse(profile).challenge();
  }

  /** Whether the device's challenge is still there to spend. */
  public static boolean unspent(String deviceId) {
    return TestDatabase.pool()
        .preparedQuery(
            "select challenge_hash is not null as live from apple_device where device_id = $1")
        .execute(Tuple.of(UUID.fromString(deviceId)))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getBoolean("live");
  }
}
