package dev.deviceactions.audit;

import dev.deviceactions.common.Columns;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Where;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The audit trail, append-only. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEvent, UUID> {
  private final Pool database;

  public AuditRepository(Pool database) {
    this.database = database;
  }

  /** A page of the trail, newest first, on the pool (not in a session). */
  public Uni<List<AuditEvent>> list(
      String actor, UUID deviceId, String activity, Instant since, Cursor cursor, int limit) {
    Where where =
        new Where()
            .and("actor = :actor", "actor", actor)
            .and("device_id = :deviceId", "deviceId", deviceId)
            .and("activity = :activity", "activity", activity)
            .and("at >= :since", "since", since)
            .after("at", cursor);
    return where.list(
        database, "audit_event", "at", limit, row -> AuditEvent.from(Columns.of(row)));
  }
}
