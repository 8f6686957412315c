package dev.deviceactions.action;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Where;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Remote actions: the status view's queries and the device's command queue. */
@ApplicationScoped
public class ActionRepository implements PanacheRepositoryBase<DeviceAction, UUID> {

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
   * A page of the status view. The state filter matches what reads show ({@link RestartDeadline}):
   * a restart still open but requested before {@code overdueBefore} is failed, not pending or
   * active.
   */
  public Uni<List<DeviceAction>> list(Filter f, Instant overdueBefore, Cursor cursor, int limit) {
    Where where =
        new Where()
            .and("deviceId = :deviceId", "deviceId", f.deviceId())
            .and("action = :action", "action", f.action())
            .and(stateAsRead(f.state()), "state", f.state())
            .and("initiatedBy = :initiatedBy", "initiatedBy", f.initiatedBy())
            .and("bulkActionId = :bulkActionId", "bulkActionId", f.bulkActionId())
            .and("requestedAt >= :since", "since", f.since())
            .and("requestedAt < :until", "until", f.until())
            .after("requestedAt", cursor);
    if (f.state() == ActionState.pending
        || f.state() == ActionState.active
        || f.state() == ActionState.failed) {
      where.params().put("restart", ActionType.rebootNow);
      where.params().put("overdueBefore", overdueBefore);
    }
    if (f.state() == ActionState.failed) {
      where.params().put("open", List.of(ActionState.pending, ActionState.active));
    }
    return find(where.query("requestedAt"), where.params()).range(0, limit).list();
  }

  private static String stateAsRead(ActionState state) {
    if (state == ActionState.pending || state == ActionState.active) {
      return "state = :state and not (" + RestartDeadline.OVERDUE_HQL + ")";
    }
    if (state == ActionState.failed) {
      return "(state = :state or (state in (:open) and " + RestartDeadline.OVERDUE_HQL + "))";
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
