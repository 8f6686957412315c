package dev.deviceactions.apple;

import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/**
 * The SCEP challenges of enrollment profiles, kept in {@code apple_device} as SHA-256 hashes (the
 * challenge itself is never stored, audited or logged). SCEP spends one atomically: a good
 * challenge names one device record, once.
 */
@ApplicationScoped
public class ChallengeRepository {
  /**
   * Spends the challenge whose hash is $1 if it has not expired at $2 and its device record has not
   * been removed, and audits the certificate issued for it ($3 the event's id, $4 its serial) in
   * the same statement. No row: unknown, spent or expired, or a removed device; nothing changed.
   */
  static final String SPEND =
      """
      with spent as (
        update apple_device a
           set challenge_hash = null
         where a.challenge_hash = $1
           and a.challenge_expires_at > $2
           and exists (select 1 from device d where d.id = a.device_id and d.deleted_at is null)
        returning a.device_id),
      audited as (
        insert into audit_event (id, at, actor, activity, device_id, action_id, outcome, detail)
        select $3, $2, '%s', '%s', device_id, null, '%s', $4 from spent)
      select device_id from spent
      """
          .formatted(ScepService.ACTOR, AuditLog.APPLE_CERTIFICATE_ISSUED, AuditLog.OK);

  private final Pool database;

  public ChallengeRepository(Pool database) {
    this.database = database;
  }

  /** SHA-256 of the challenge's UTF-8 bytes: what the enrollment profile stores and SCEP spends. */
  public static byte[] hash(String challenge) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(challenge.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Runs {@code work} in a transaction: it commits if the Uni succeeds, else rolls back. */
  <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
    return database.withTransaction(work);
  }

  /** The device record whose challenge this was, or null when none could be spent. */
  Uni<UUID> spend(SqlConnection connection, byte[] hash, Instant at, String serial) {
    Tuple args = Tuple.of(Buffer.buffer(hash), Times.utc(at), UUID.randomUUID(), serial);
    return connection
        .preparedQuery(SPEND)
        .execute(args)
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("device_id"));
  }
}
