package dev.deviceactions.agent;

import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.ActionState;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.common.Committed;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Telemetry;
import dev.deviceactions.common.Times;
import dev.deviceactions.common.UnitOfWork;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretKind;
import dev.deviceactions.secret.SecretService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What devices do: check in for commands, report results and events. */
@ApplicationScoped
public class AgentService {
  private final CheckinRepository checkins;
  private final DeviceRepository devices;
  private final ActionRepository actions;
  private final SecretService secrets;
  private final RestartDeadline deadline;
  private final Telemetry telemetry;
  private final PendingActions pending;
  private final Event<Committed> committed;

  public AgentService(
      CheckinRepository checkins,
      DeviceRepository devices,
      ActionRepository actions,
      SecretService secrets,
      RestartDeadline deadline,
      Telemetry telemetry,
      PendingActions pending,
      Event<Committed> committed) {
    this.checkins = checkins;
    this.devices = devices;
    this.actions = actions;
    this.secrets = secrets;
    this.deadline = deadline;
    this.telemetry = telemetry;
    this.pending = pending;
    this.committed = committed;
  }

  /**
   * Updates the facts the device reports and hands over its pending commands, oldest first, in one
   * statement ({@link CheckinRepository}); commands handed over are announced as {@link Committed}
   * (their delivered events).
   */
  public Uni<CheckinView> checkin(UUID deviceId, CheckinRequest facts) {
    Instant now = Times.now();
    return UnitOfWork.runToEnd(
            checkins
                .checkIn(deviceId, facts, now, deadline.overdueBefore(now))
                .invoke(
                    delivered -> {
                      if (delivered != null && !delivered.isEmpty()) {
                        committed.fire(Committed.INSTANCE);
                      }
                    }))
        .map(
            delivered -> {
              if (delivered == null) {
                throw new ProblemException(
                    ProblemCode.deviceNotFound, "No device " + deviceId + ".");
              }
              return new CheckinView(delivered.stream().map(d -> command(d, now)).toList());
            })
        .invoke(this::checkedIn);
  }

  private void checkedIn(CheckinView view) {
    telemetry.checkedIn(view.commands().size());
    Instant handedOver = Times.now();
    view.commands().forEach(c -> telemetry.delivered(c.issuedAt(), handedOver));
  }

  /**
   * Records a device's result; a final state never changes again. A {@code notNow} puts the command
   * back to pending, and once that is committed its device's waiting check-ins are woken.
   */
  public Uni<Void> result(UUID deviceId, UUID actionId, ResultRequest result) {
    return record(deviceId, actionId, result)
        .invoke(
            () -> {
              if (result.status() == ResultRequest.ResultStatus.notNow) {
                pending.pending(List.of(deviceId));
              }
            });
  }

  /** The result's transaction (ArC intercepts this call from within the bean too). */
  @WithTransaction
  Uni<Void> record(UUID deviceId, UUID actionId, ResultRequest result) {
    Instant now = Times.now();
    return actions
        .findForDevice(actionId, deviceId)
        .onItem()
        .ifNull()
        .failWith(() -> new ProblemException(ProblemCode.actionNotFound, "No such action."))
        .chain(action -> apply(action, result, now).invoke(() -> transitioned(action)));
  }

  /** The Mac was unlocked with its recovery PIN: the PIN counts as used, the guard lifts. */
  @WithTransaction
  public Uni<Void> event(UUID deviceId, EventRequest event) {
    return devices
        .getEnrolled(deviceId)
        .chain(d -> devices.releaseRecoveryPin(d.id))
        .replaceWithVoid();
  }

  private Uni<Void> apply(DeviceAction action, ResultRequest result, Instant now) {
    ActionState reported = stateOf(result.status());
    if (action.state.isFinal() || timedOut(action, now)) {
      if (action.state == reported) {
        return Uni.createFrom().voidItem();
      }
      throw new ProblemException(
          ProblemCode.actionAlreadyCompleted,
          "This action already ended"
              + (action.state.isFinal() ? " as " + action.state : " by timing out")
              + ".");
    }
    action.lastUpdatedAt = now;
    if (result.status() == ResultRequest.ResultStatus.notNow) {
      action.state = ActionState.pending;
      action.notNowCount++;
      return Uni.createFrom().voidItem();
    }
    action.state = reported;
    action.completedAt = now;
    action.detail = result.detail();
    action.failureReason = reported == ActionState.failed ? "deviceError" : null;
    return afterCompletion(action, result, now);
  }

  private Uni<Void> afterCompletion(DeviceAction action, ResultRequest result, Instant now) {
    if (action.action == ActionType.remoteLock && action.state != ActionState.done) {
      return devices.releaseRecoveryPin(action.deviceId, action.id).replaceWithVoid();
    }
    if (action.action == ActionType.resetPin
        && action.state == ActionState.done
        && result.newPin() != null) {
      return secrets
          .issue(action.id, action.deviceId, SecretKind.temporaryPasscode, result.newPin(), now)
          .replaceWithVoid();
    }
    return Uni.createFrom().voidItem();
  }

  private void transitioned(DeviceAction action) {
    telemetry.transitioned(action.action.name(), action.state.name());
  }

  private boolean timedOut(DeviceAction action, Instant now) {
    return deadline.passed(action, now);
  }

  private static ActionState stateOf(ResultRequest.ResultStatus status) {
    return switch (status) {
      case done -> ActionState.done;
      case failed -> ActionState.failed;
      case notSupported -> ActionState.notSupported;
      case notNow -> ActionState.pending;
    };
  }

  private Command command(CheckinRepository.Delivered delivered, Instant now) {
    DeviceAction a = delivered.action();
    ActionSecret secret = delivered.secret();
    String value = secret != null && secrets.isLive(secret, now) ? secrets.reveal(secret) : null;
    boolean pin = value != null && secret.kind == SecretKind.recoveryPin;
    return new Command(
        a.id,
        a.action,
        a.requestedAt,
        pin ? value : null,
        pin ? null : value,
        a.message,
        a.phoneNumber);
  }
}
