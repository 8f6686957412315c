package dev.deviceactions.apple;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * An Apple device enrolled in MDM, as the check-in would leave it, written with SQL: a device
 * record (enrolled through the API, an iPhone with a passcode) switched to the appleMdm channel,
 * and its apple_device row with the push token and PushMagic of a TokenUpdate.
 */
public record SeededAppleDevice(String id, String tokenHex, String pushMagic) {
  private static final SecureRandom RANDOM = new SecureRandom();

  static final String ENROLL =
      """
      update device
         set management_channel = 'appleMdm', apple_udid = $2, apple_enrolled = true,
             apple_enrolled_at = now(), apple_last_seen_at = now(), apple_push_ready = $3
       where id = $1
      """;

  static final String PROTOCOL_STATE =
      """
      insert into apple_device (device_id, topic, push_token, push_magic)
      values ($1, $2, $3, $4)
      """;

  /** Enrolled, after a TokenUpdate: it can be pushed to. */
  public static SeededAppleDevice pushable() {
    return seed(true);
  }

  /** Enrolled, but no TokenUpdate yet: no token, no PushMagic. */
  public static SeededAppleDevice withoutToken() {
    return seed(false);
  }

  private static SeededAppleDevice seed(boolean tokenUpdate) {
    EnrolledDevice device = Api.enroll(Map.of("platform", "iOS", "osVersion", "17.4"));
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    String magic = tokenUpdate ? UUID.randomUUID().toString().toUpperCase() : null;
    UUID id = UUID.fromString(device.id());
    run(ENROLL, Tuple.of(id, UUID.randomUUID().toString().toUpperCase(), tokenUpdate));
    run(
        PROTOCOL_STATE,
        Tuple.of(id, ApnsKeys.TOPIC, tokenUpdate ? Buffer.buffer(token) : null, magic));
    return new SeededAppleDevice(
        device.id(), tokenUpdate ? HexFormat.of().formatHex(token) : null, magic);
  }

  /** As the check-in's TokenUpdate leaves it: this token on record, ready to push. */
  public SeededAppleDevice tokenUpdate(byte[] token) {
    run(
        "update apple_device set push_token = $2, push_invalid_at = null where device_id = $1",
        Tuple.of(UUID.fromString(id), Buffer.buffer(token)));
    run("update device set apple_push_ready = true where id = $1", Tuple.of(UUID.fromString(id)));
    return new SeededAppleDevice(id, HexFormat.of().formatHex(token), pushMagic);
  }

  /** A TokenUpdate with a new token. */
  public SeededAppleDevice newToken() {
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    return tokenUpdate(token);
  }

  public byte[] token() {
    return HexFormat.of().parseHex(tokenHex);
  }

  /** As CheckOut leaves it: no longer enrolled in MDM, its token still on record. */
  public void checkOut() {
    run("update device set apple_enrolled = false where id = $1", Tuple.of(UUID.fromString(id)));
  }

  /** The device's push state: apple_push_ready, and whether push_invalid_at is set. */
  public Map<String, Boolean> pushState() {
    Row row =
        TestDatabase.pool()
            .preparedQuery(
                """
                select d.apple_push_ready, a.push_invalid_at is not null as invalid
                  from device d join apple_device a on a.device_id = d.id
                 where d.id = $1
                """)
            .execute(Tuple.of(UUID.fromString(id)))
            .await()
            .indefinitely()
            .iterator()
            .next();
    return Map.of(
        "ready", row.getBoolean("apple_push_ready"), "invalid", row.getBoolean("invalid"));
  }

  private static void run(String sql, Tuple args) {
    TestDatabase.pool().preparedQuery(sql).execute(args).await().indefinitely();
  }
}
