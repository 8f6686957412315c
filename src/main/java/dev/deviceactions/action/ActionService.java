package dev.deviceactions.action;

import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Telemetry;
import dev.deviceactions.common.Times;
import dev.deviceactions.common.UnitOfWork;
import dev.deviceactions.device.DeviceRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Requesting, reading and canceling remote actions. */
@ApplicationScoped
public class ActionService {
  private final ActionCreator creator;
  private final BulkCreator bulk;
  private final ActionRepository actions;
  private final DeviceRepository devices;
  private final AuditLog audit;
  private final Telemetry telemetry;
  private final RestartDeadline deadline;
  private final Event<CommandsRequested> requested;

  public ActionService(
      ActionCreator creator,
      BulkCreator bulk,
      ActionRepository actions,
      DeviceRepository devices,
      AuditLog audit,
      Telemetry telemetry,
      RestartDeadline deadline,
      Event<CommandsRequested> requested) {
    this.creator = creator;
    this.bulk = bulk;
    this.actions = actions;
    this.devices = devices;
    this.audit = audit;
    this.telemetry = telemetry;
    this.deadline = deadline;
    this.requested = requested;
  }

  /**
   * Requests one action. A refusal rolls its transaction back and is then audited on its own, so
   * the audit event is all that a refused request leaves behind.
   */
  public Uni<ActionView> request(ActionCommand command) {
    // One unit of work, so that a refusal is audited even if its client hung up meanwhile.
    // CommandsRequested inside the unit: observers hear of the commit even if the client hung up.
    return UnitOfWork.runToEnd(
            creator
                .create(command)
                .onFailure(ActionCreator.IdempotencyRace.class)
                .recoverWithUni(() -> creator.replay(command))
                .invoke(a -> requested.fire(new CommandsRequested(List.of(a.deviceId))))
                .onFailure(ProblemException.class)
                .call(e -> auditRefusal(command, (ProblemException) e)))
        .invoke(a -> telemetry.actionRequested(a.action.name(), AuditLog.ACCEPTED))
        .invoke(a -> Log.debugf("Accepted %s %s for device %s", a.action, a.id, a.deviceId))
        .map(deadline::view);
  }

  public Uni<BulkView> requestBulk(BulkRequest request, String actor) {
    String action = request.action().name();
    return UnitOfWork.runToEnd(
            bulk.create(request, actor)
                .invoke(view -> requested.fire(new CommandsRequested(view.successfulDeviceIds()))))
        .invoke(
            view -> {
              telemetry.actionRequested(
                  action, AuditLog.ACCEPTED, view.successfulDeviceIds().size());
              telemetry.actionRequested(
                  action, ProblemCode.recoveryPinOutstanding.name(), view.failedDeviceIds().size());
              telemetry.actionRequested(
                  action, ProblemCode.deviceNotFound.name(), view.notFoundDeviceIds().size());
              telemetry.actionRequested(
                  action,
                  ProblemCode.actionNotSupported.name(),
                  view.notSupportedDeviceIds().size());
            });
  }

  @WithSession
  public Uni<ActionView> get(UUID id) {
    return actions.findById(id).map(ActionService::found).map(deadline::view);
  }

  public Uni<Page<ActionView>> list(ActionRepository.Filter filter, Cursor cursor, int limit) {
    Instant now = Times.now();
    return actions
        .list(filter, deadline.overdueBefore(now), cursor, limit + 1)
        .map(
            rows ->
                Page.of(
                    rows, limit, a -> new Cursor(a.requestedAt, a.id), a -> deadline.view(a, now)));
  }

  /** Cancels an action the device has not collected yet; a canceled macOS lock frees its guard. */
  @WithTransaction
  public Uni<ActionView> cancel(UUID id, String actor) {
    return actions
        .findById(id)
        .map(ActionService::found)
        .invoke(
            a -> {
              ActionState state = deadline.view(a).state();
              if (state != ActionState.pending) {
                throw new ProblemException(
                    ProblemCode.actionNotCancelable,
                    "Only a pending action can be canceled; this one is " + state + ".");
              }
              a.state = ActionState.canceled;
              a.lastUpdatedAt = Times.now();
              a.completedAt = a.lastUpdatedAt;
            })
        .call(a -> devices.releaseRecoveryPin(a.deviceId, a.id))
        .invoke(a -> telemetry.transitioned(a.action.name(), a.state.name()))
        .call(
            a ->
                audit.record(
                    actor,
                    AuditLog.ACTION_CANCELED,
                    a.deviceId,
                    a.id,
                    AuditLog.OK,
                    a.action.name()))
        .map(deadline::view);
  }

  static DeviceAction found(DeviceAction action) {
    if (action == null) {
      throw new ProblemException(ProblemCode.actionNotFound, "No such action.");
    }
    return action;
  }

  private Uni<Void> auditRefusal(ActionCommand c, ProblemException e) {
    telemetry.actionRequested(c.action().name(), e.code.name());
    String detail = e.reason == null ? c.action().name() : c.action() + ": " + e.reason;
    return audit.recordAlone(
        c.actor(), AuditLog.ACTION_REQUESTED, c.deviceId(), null, e.code.name(), detail);
  }
}
