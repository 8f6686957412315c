package dev.deviceactions.action;

import dev.deviceactions.common.Columns;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Where;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Remote actions: the status view's queries and the device's command queue. */
@ApplicationScoped
public class ActionRepository implements PanacheRepositoryBase<DeviceAction, UUID> {
  private final Pool database;

  public ActionRepository(Pool database) {
    this.database = database;
  }

  /** Filters of the status view; null means "any". */
  public record Filter(
      UUID deviceId,
      ActionType action,
      ActionState state,
      String initiatedBy,
      UUID bulkActionId,
      Instant since,
      Instant until) {}

  public Uni<DeviceAction> findForDevice(UUID actionId, UUID deviceId) {
    return find("id = ?1 and deviceId = ?2", actionId, deviceId).firstResult();
  }

  /**
   * A page of the status view, on the pool (not in a session). The state filter matches what reads
   * show ({@link RestartDeadline}): a restart still open but requested before {@code overdueBefore}
   * is failed, not pending or active.
   */
  public Uni<List<DeviceAction>> list(Filter f, Instant overdueBefore, Cursor cursor, int limit) {
    Where where =
        new Where()
            .and("device_id = :deviceId", "deviceId", f.deviceId())
            .and("action = :action", "action", f.action() == null ? null : f.action().name())
            .and(stateAsRead(f.state()), "state", f.state() == null ? null : f.state().name())
            .and("initiated_by = :initiatedBy", "initiatedBy", f.initiatedBy())
            .and("bulk_action_id = :bulkActionId", "bulkActionId", f.bulkActionId())
            .and("requested_at >= :since", "since", f.since())
            .and("requested_at < :until", "until", f.until())
            .after("requested_at", cursor);
    if (f.state() == ActionState.pending
        || f.state() == ActionState.active
        || f.state() == ActionState.failed) {
      where.with("overdueBefore", overdueBefore);
    }
    if (f.state() == ActionState.failed) {
      where.with("open", new String[] {ActionState.pending.name(), ActionState.active.name()});
    }
    return where.list(
        database,
        "device_action",
        "requested_at",
        limit,
        row -> DeviceAction.from(Columns.of(row)));
  }

  private static String stateAsRead(ActionState state) {
    String overdue = RestartDeadline.overdueSql("device_action", ":overdueBefore");
    if (state == ActionState.pending || state == ActionState.active) {
      return "state = :state and not " + overdue;
    }
    if (state == ActionState.failed) {
      return "(state = :state or (state = any(:open) and " + overdue + "))";
    }
    return "state = :state";
  }

  /** Each device's newest action, one query for a whole page of devices. */
  public Uni<List<DeviceAction>> latestOf(Collection<UUID> deviceIds) {
    return newestPer("device_id", deviceIds);
  }

  /** Each device's newest action of each kind, one query for a whole page of devices. */
  public Uni<List<DeviceAction>> latestOfEachAction(Collection<UUID> deviceIds) {
    return newestPer("device_id, action", deviceIds);
  }

  /** The newest action of each group of {@code columns} (a constant list) for these devices. */
  private Uni<List<DeviceAction>> newestPer(String columns, Collection<UUID> deviceIds) {
    if (deviceIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    String sql =
        "select distinct on ("
            + columns
            + ") * from device_action where device_id in (:ids) order by "
            + columns
            + ", requested_at desc, id desc";
    return getSession()
        .chain(
            s ->
                s.createNativeQuery(sql, DeviceAction.class)
                    .setParameter("ids", deviceIds)
                    .getResultList());
  }

  /** Cancels what a removed device will never collect, so it is not delivered on re-use. */
  public Uni<Integer> cancelPending(UUID deviceId, Instant now) {
    return update(
        "state = ?1, lastUpdatedAt = ?2, completedAt = ?2 where deviceId = ?3 and state = ?4",
        ActionState.canceled,
        now,
        deviceId,
        ActionState.pending);
  }
}
