package dev.deviceactions.support;

import dev.deviceactions.apple.ChallengeRepository;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/**
 * SCEP challenges for test devices, stored as the enrollment profile stores them (its SHA-256 in
 * apple_device, valid for a while). Until the profile endpoint exists, the row is written here with
 * SQL; the challenge itself is returned, as the profile would carry it.
 */
public final class AppleChallenges {
  static final String STORE =
      """
      insert into apple_device (device_id, challenge_hash, challenge_expires_at)
      values ($1, $2, $3)
      on conflict (device_id) do update
        set challenge_hash = excluded.challenge_hash,
            challenge_expires_at = excluded.challenge_expires_at
      """;

  private AppleChallenges() {}

  /** A new challenge for the device, replacing its older one, good for {@code ttl}. */
  public static String issue(String deviceId, Duration ttl) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(ttl);
    TestDatabase.pool()
        .preparedQuery(STORE)
        .execute(
            Tuple.of(
                UUID.fromString(deviceId),
                Buffer.buffer(ChallengeRepository.hash(challenge)),
                expires))
        .await()
        .indefinitely();
    return challenge;
  }

  /** A challenge good for the default enrollment-ttl, seven days. */
  public static String issue(String deviceId) {
    return issue(deviceId, Duration.ofDays(7));
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
