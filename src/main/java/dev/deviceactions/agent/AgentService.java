package dev.deviceactions.agent;

import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.ActionState;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Telemetry;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretKind;
import dev.deviceactions.secret.SecretService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What devices do: check in for commands, report results and events. */
@ApplicationScoped
public class AgentService {
  private final DeviceRepository devices;
  private final ActionRepository actions;
  private final SecretService secrets;
  private final RestartDeadline deadline;
  private final Telemetry telemetry;

  public AgentService(
      DeviceRepository devices,
      ActionRepository actions,
      SecretService secrets,
      RestartDeadline deadline,
      Telemetry telemetry) {
    this.devices = devices;
    this.actions = actions;
    this.secrets = secrets;
    this.deadline = deadline;
    this.telemetry = telemetry;
  }

  /** Updates the facts the device reports and hands over its pending commands, oldest first. */
  @WithTransaction
  public Uni<CheckinView> checkin(UUID deviceId, CheckinRequest facts) {
    Instant now = Times.now();
    return devices
        .getEnrolled(deviceId)
        .invoke(d -> update(d, facts, now))
        .chain(d -> actions.deliverPending(d.id, now, deadline.overdueBefore(now)))
        .chain(
            delivered ->
                secrets
                    .liveFor(delivered.stream().map(a -> a.id).toList())
                    .map(live -> new CheckinView(commands(delivered, live))))
        .invoke(view -> checkedIn(view, now));
  }

  private void checkedIn(CheckinView view, Instant now) {
    telemetry.checkedIn(view.commands().size());
    view.commands().forEach(c -> telemetry.delivered(c.issuedAt(), now));
  }

  /** Records a device's result; a final state never changes again. */
  @WithTransaction
  public Uni<Void> result(UUID deviceId, UUID actionId, ResultRequest result) {
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

  private List<Command> commands(List<DeviceAction> delivered, Map<UUID, ActionSecret> live) {
    return delivered.stream()
        .sorted(Comparator.comparing((DeviceAction a) -> a.requestedAt).thenComparing(a -> a.id))
        .map(a -> command(a, live.get(a.id)))
        .toList();
  }

  private Command command(DeviceAction a, ActionSecret secret) {
    String value = secret == null ? null : secrets.reveal(secret);
    boolean pin = secret != null && secret.kind == SecretKind.recoveryPin;
    return new Command(
        a.id,
        a.action,
        a.requestedAt,
        pin ? value : null,
        pin ? null : value,
        a.message,
        a.phoneNumber);
  }

  private static void update(Device d, CheckinRequest facts, Instant now) {
    if (facts != null) {
      d.osVersion = facts.osVersion() != null ? facts.osVersion() : d.osVersion;
      d.passcodeSet = facts.passcodeSet() != null ? facts.passcodeSet() : d.passcodeSet;
      d.supervised = facts.supervised() != null ? facts.supervised() : d.supervised;
    }
    d.lastCheckInAt = now;
  }
}
