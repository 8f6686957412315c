package dev.deviceactions.apple;

import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.ActionState;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.agent.AgentService;
import dev.deviceactions.agent.ResultRequest;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Telemetry;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.Platform;
import dev.deviceactions.secret.SecretCipher;
import dev.deviceactions.secret.SecretService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Apple's command protocol: each connect carries the device's status (a result for the command it
 * was sent, or Idle) and is answered with the next command, oldest first, one at a time. Results go
 * to the agent service, which owns what a result does to an action; a command sent but never
 * answered is sent again, so a lost answer loses no command.
 */
@ApplicationScoped
public class ConnectService {
  private final MdmDevices bindings;
  private final MdmCommandRepository commands;
  private final ActionRepository actions;
  private final AgentService agent;
  private final SecretService secrets;
  private final SecretCipher cipher;
  private final RestartDeadline deadline;
  private final Telemetry telemetry;
  private final Inventory inventory;

  public ConnectService(
      MdmDevices bindings,
      MdmCommandRepository commands,
      ActionRepository actions,
      AgentService agent,
      SecretService secrets,
      SecretCipher cipher,
      RestartDeadline deadline,
      Telemetry telemetry,
      Inventory inventory) {
    this.bindings = bindings;
    this.commands = commands;
    this.actions = actions;
    this.agent = agent;
    this.secrets = secrets;
    this.cipher = cipher;
    this.deadline = deadline;
    this.telemetry = telemetry;
    this.inventory = inventory;
  }

  @WithTransaction
  public Uni<MdmAnswer> connect(DeviceIdentity.Signer signer, MdmMessage message) {
    String udid = message.required("UDID");
    MdmStatus status = MdmStatus.parse(message.required("Status"));
    Instant now = Times.now();
    return bindings
        .connected(signer, udid, now)
        .call(bound -> bindings.reachedAgain(bound.device()))
        .chain(
            bound -> {
              if (message.string("UserID") != null) {
                // The user channel of a Mac: users are not managed here, nothing is queued.
                return Uni.createFrom().item(MdmAnswer.EMPTY);
              }
              return record(bound, status, message, now)
                  .chain(
                      ours ->
                          ours ? next(bound, status, now) : Uni.createFrom().item(MdmAnswer.EMPTY));
            });
  }

  /**
   * Records a result for a command of this device that waits for one; a repeated result (its answer
   * to the first was lost) changes nothing. False for a result that names no command of this
   * device: the message is answered with nothing and changes nothing.
   */
  private Uni<Boolean> record(MdmDevices.Bound bound, MdmStatus status, MdmMessage m, Instant now) {
    if (status == MdmStatus.Idle) {
      return Uni.createFrom().item(true);
    }
    UUID reported = commandUuid(m);
    if (reported == null) {
      return Uni.createFrom().item(false);
    }
    UUID deviceId = bound.device().id;
    return actions
        .findForDevice(reported, deviceId)
        .chain(
            action ->
                action != null
                    ? actionResult(action, status, m, now).replaceWith(true)
                    : commands
                        .findOwn(reported, deviceId)
                        .chain(
                            c ->
                                c == null
                                    ? Uni.createFrom().item(false)
                                    : answered(c, status, m, bound, now)));
  }

  private Uni<Boolean> answered(
      MdmCommand c, MdmStatus status, MdmMessage m, MdmDevices.Bound bound, Instant now) {
    return c.state != ActionState.active
        ? Uni.createFrom().item(true)
        : inventory.answered(c, status, m, bound.enrollment(), now).replaceWith(true);
  }

  private Uni<Void> actionResult(DeviceAction action, MdmStatus status, MdmMessage m, Instant now) {
    if (action.state != ActionState.active || deadline.passed(action, now)) {
      Log.debugf("Ignored %s for action %s, which is %s", status, action.id, action.state);
      return Uni.createFrom().voidItem();
    }
    ResultRequest result =
        switch (status) {
          case Acknowledged -> new ResultRequest(ResultRequest.ResultStatus.done, null, null);
          case NotNow -> new ResultRequest(ResultRequest.ResultStatus.notNow, null, null);
          default ->
              new ResultRequest(ResultRequest.ResultStatus.failed, errorChain(status, m), null);
        };
    return agent
        .result(action.deviceId, action.id, result)
        .onFailure(ProblemException.class)
        .recoverWithNull();
  }

  /**
   * The oldest unanswered command, the service's own or a remote action's. After NotNow, none the
   * device put off (Apple lets the server go on with others or stop; this goes on with others).
   */
  private Uni<MdmAnswer> next(MdmDevices.Bound bound, MdmStatus status, Instant now) {
    boolean skipNotNow = status == MdmStatus.NotNow;
    return commands
        .handOverNext(bound.device().id, now, deadline.overdueBefore(now), skipNotNow)
        .chain(
            next -> {
              if (next == null) {
                return Uni.createFrom().item(MdmAnswer.EMPTY);
              }
              return next.own() != null
                  ? Uni.createFrom().item(MdmAnswer.of(MdmCommands.forInventory(next.own())))
                  : command(next.action(), bound, now);
            });
  }

  /** A remote action's command, with what it carries; its first hand-over is counted. */
  private Uni<MdmAnswer> command(DeviceAction action, MdmDevices.Bound bound, Instant now) {
    if (action.state == ActionState.pending) {
      telemetry.delivered(action.requestedAt, now);
    }
    boolean macLock =
        action.action == ActionType.remoteLock && bound.device().platform == Platform.macOS;
    Uni<String> pin =
        macLock
            ? secrets
                .liveFor(List.of(action.id))
                .map(
                    live ->
                        live.containsKey(action.id) ? secrets.reveal(live.get(action.id)) : null)
            : Uni.createFrom().nullItem();
    return pin.map(p -> MdmAnswer.of(MdmCommands.forAction(action, p, unlockToken(bound))));
  }

  private byte[] unlockToken(MdmDevices.Bound bound) {
    byte[] sealed = bound.enrollment().unlockToken;
    return sealed == null ? null : Base64.getDecoder().decode(cipher.decrypt(sealed));
  }

  private static UUID commandUuid(MdmMessage m) {
    try {
      return UUID.fromString(m.required("CommandUUID"));
    } catch (IllegalArgumentException notOurs) {
      return null;
    }
  }

  /** The ErrorChain as the action's detail: each error's code, domain and description. */
  static String errorChain(MdmStatus status, MdmMessage m) {
    StringBuilder detail = new StringBuilder();
    for (MdmMessage error : m.dictionaries("ErrorChain")) {
      String description = error.string("USEnglishDescription");
      if (description == null) {
        description = error.string("LocalizedDescription");
      }
      if (!detail.isEmpty()) {
        detail.append("; ");
      }
      detail.append(error.number("ErrorCode")).append(' ').append(error.string("ErrorDomain"));
      if (description != null) {
        detail.append(": ").append(description);
      }
    }
    String text =
        detail.isEmpty()
            ? status == MdmStatus.CommandFormatError
                ? "CommandFormatError: the device could not read the command."
                : "Error: the device reported no ErrorChain."
            : detail.toString();
    return Text.bounded(text, 1000);
  }
}
