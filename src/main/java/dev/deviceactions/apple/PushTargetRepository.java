package dev.deviceactions.apple;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The push's SQL, outside any Hibernate session: the push runs after the request's transaction
 * committed, and each statement here is its own short transaction.
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

  /**
   * A connection of the pool's own for the reads of push targets, taken at the first push. Under
   * load the pool's queue holds the requests' statements for a while, and a read queued behind them
   * would have the push leave that much later; this one waits for none of them (its reads are
   * pipelined). When it breaks, a read goes through the pool, and the next one takes a new one.
   */
  private final AtomicReference<Uni<SqlConnection>> own = new AtomicReference<>();

  public PushTargetRepository(Pool database) {
    this.database = database;
  }

  Uni<List<PushTarget>> targets(Collection<UUID> deviceIds) {
    Tuple args = Tuple.of(deviceIds.toArray(UUID[]::new));
    Uni<SqlConnection> connection = connection();
    return connection
        .chain(c -> c.preparedQuery(TARGETS).execute(args))
        .onFailure()
        .recoverWithUni(
            failure -> {
              drop(connection);
              return database.preparedQuery(TARGETS).execute(args);
            })
        .map(PushTargetRepository::targets);
  }

  private static List<PushTarget> targets(RowSet<Row> rows) {
    List<PushTarget> targets = new ArrayList<>(rows.size());
    for (Row row : rows) {
      targets.add(
          new PushTarget(
              row.getUUID("device_id"),
              row.getBuffer("push_token").getBytes(),
              row.getString("push_magic")));
    }
    return targets;
  }

  private Uni<SqlConnection> connection() {
    Uni<SqlConnection> current = own.get();
    if (current != null) {
      return current;
    }
    AtomicReference<Uni<SqlConnection>> self = new AtomicReference<>();
    Uni<SqlConnection> taken =
        database
            .getConnection()
            .invoke(c -> c.closeHandler(() -> own.compareAndSet(self.get(), null)))
            .memoize()
            .indefinitely();
    self.set(taken);
    return own.compareAndSet(null, taken) ? taken : own.get();
  }

  /** Forgets the connection (and closes it, if it was taken): the next read takes a new one. */
  private void drop(Uni<SqlConnection> connection) {
    if (own.compareAndSet(connection, null)) {
      connection.subscribe().with(SqlConnection::closeAndForget, failure -> {});
    }
  }

  @PreDestroy
  void close() {
    Uni<SqlConnection> connection = own.getAndSet(null);
    if (connection != null) {
      connection.subscribe().with(SqlConnection::closeAndForget, failure -> {});
    }
  }

  /** Whether the token was still the device's and is now marked invalid. */
  Uni<Boolean> invalidate(PushTarget target) {
    Tuple args = Tuple.of(target.deviceId(), Buffer.buffer(target.token()));
    return database.preparedQuery(INVALIDATE).execute(args).map(rows -> rows.rowCount() > 0);
  }
}
