package dev.deviceactions.apple;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The push's SQL, on the reactive pool outside any Hibernate session: the push runs after the
 * request's transaction committed, and each statement here is its own short transaction.
 */
@ApplicationScoped
public class PushTargetRepository {
  /**
   * The devices of $1 (uuid[]) that can be pushed to: enrolled in Apple MDM, with a token and a
   * PushMagic from TokenUpdate that APNs has not refused since.
   */
  static final String TARGETS =
      """
      select a.device_id, a.push_token, a.push_magic
        from device d
        join apple_device a on a.device_id = d.id
       where d.id = any ($1::uuid[])
         and d.deleted_at is null
         and d.apple_enrolled
         and d.apple_push_ready
         and a.push_token is not null
         and a.push_magic is not null
         and a.push_invalid_at is null
      """;

  /**
   * APNs answered 410 for token $2 (bytea) of device $1 (uuid): no push until the next TokenUpdate.
   * Only while that token is still the device's: a newer one, from a TokenUpdate that came in while
   * the push was on the wire, stays good.
   */
  static final String INVALIDATE =
      """
      with invalid as (
        update apple_device
           set push_invalid_at = now()
         where device_id = $1 and push_token = $2
        returning device_id)
      update device d
         set apple_push_ready = false
        from invalid
       where d.id = invalid.device_id
      """;

  private final Pool database;

  public PushTargetRepository(Pool database) {
    this.database = database;
  }

  Uni<List<PushTarget>> targets(Collection<UUID> deviceIds) {
    Tuple args = Tuple.of(deviceIds.toArray(UUID[]::new));
    return database
        .preparedQuery(TARGETS)
        .execute(args)
        .map(
            rows -> {
              List<PushTarget> targets = new ArrayList<>(rows.size());
              for (Row row : rows) {
                targets.add(
                    new PushTarget(
                        row.getUUID("device_id"),
                        row.getBuffer("push_token").getBytes(),
                        row.getString("push_magic")));
              }
              return targets;
            });
  }

  /** Whether the token was still the device's and is now marked invalid. */
  Uni<Boolean> invalidate(PushTarget target) {
    Tuple args = Tuple.of(target.deviceId(), Buffer.buffer(target.token()));
    return database.preparedQuery(INVALIDATE).execute(args).map(rows -> rows.rowCount() > 0);
  }
}
