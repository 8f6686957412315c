package dev.deviceactions.action;

import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.Platform;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretGenerator;
import dev.deviceactions.secret.SecretKind;
import dev.deviceactions.secret.SecretService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Creates one action, checking in order: the Idempotency-Key, the device, the support matrix, the
 * macOS recovery-PIN guard. Without a key that is two autocommit statements ({@link ActionStore}):
 * read the device, then store all of the action at once; a key adds its lookup. A refusal stores
 * nothing; {@link ActionService} then audits it on its own.
 */
@ApplicationScoped
public class ActionCreator {
  public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

  private final ActionStore store;
  private final SecretService secrets;
  private final DeviceActionsConfig config;
  private final SecretGenerator generator;

  public ActionCreator(
      ActionStore store,
      SecretService secrets,
      DeviceActionsConfig config,
      SecretGenerator generator) {
    this.store = store;
    this.secrets = secrets;
    this.config = config;
    this.generator = generator;
  }

  public Uni<DeviceAction> create(ActionCommand command) {
    return replay(command)
        .chain(original -> original != null ? Uni.createFrom().item(original) : createNew(command));
  }

  /** The action an earlier request with the same key created, or null when there is none. */
  public Uni<DeviceAction> replay(ActionCommand c) {
    if (c.idempotencyKey() == null) {
      return Uni.createFrom().nullItem();
    }
    return store
        .findKey(c.actor(), c.idempotencyKey(), Times.now().minus(IDEMPOTENCY_WINDOW))
        .map(
            entry -> {
              if (entry == null) {
                return null;
              }
              if (!entry.deviceId().equals(c.deviceId()) || entry.action() != c.action()) {
                throw new ProblemException(
                    ProblemCode.idempotencyKeyReused,
                    "This Idempotency-Key was used for another device or action.");
              }
              return entry.created();
            });
  }

  private Uni<DeviceAction> createNew(ActionCommand c) {
    return store
        .readDevice(c.deviceId())
        .chain(
            device -> {
              if (device == null) {
                throw notFound(c);
              }
              SupportMatrix.check(c.action(), device).ifPresent(r -> refuse(c, r));
              DeviceAction action = newAction(c, Times.now());
              boolean claimsPin = needsRecoveryPin(device.platform, action.action);
              Instant pinFreeBefore = action.requestedAt.minus(config.recoveryPin().retention());
              if (claimsPin && pinOutstanding(device, pinFreeBefore)) {
                throw pinOutstanding();
              }
              ActionStore.Accepted accepted =
                  new ActionStore.Accepted(
                      action,
                      secretFor(device, action),
                      claimsPin,
                      pinFreeBefore,
                      c.idempotencyKey(),
                      action.requestedAt.minus(IDEMPOTENCY_WINDOW));
              return store
                  .store(accepted)
                  .chain(
                      stored -> stored ? Uni.createFrom().item(action) : notStored(c, claimsPin));
            });
  }

  /**
   * Why the store wrote nothing, all of which happened after the device was read: another request
   * claimed the key, the device was removed, or another lock took the PIN guard.
   */
  private Uni<DeviceAction> notStored(ActionCommand c, boolean claimsPin) {
    Uni<Boolean> keyTaken =
        c.idempotencyKey() == null
            ? Uni.createFrom().item(false)
            : replay(c).map(original -> original != null);
    return keyTaken
        .chain(
            taken ->
                taken
                    ? Uni.createFrom().failure(new IdempotencyRace())
                    : store.readDevice(c.deviceId()))
        .map(
            device -> {
              throw device != null && claimsPin ? pinOutstanding() : notFound(c);
            });
  }

  static boolean needsRecoveryPin(Platform platform, ActionType action) {
    return platform == Platform.macOS && action == ActionType.remoteLock;
  }

  private static boolean pinOutstanding(Device device, Instant pinFreeBefore) {
    return device.outstandingPinActionId != null
        && !device.outstandingPinIssuedAt.isBefore(pinFreeBefore);
  }

  private static ProblemException pinOutstanding() {
    return new ProblemException(
        ProblemCode.recoveryPinOutstanding,
        "The recovery PIN of this Mac's last lock has not been used yet; send no new"
            + " lock until it has unlocked the Mac.");
  }

  private static ProblemException notFound(ActionCommand c) {
    return new ProblemException(ProblemCode.deviceNotFound, "No device " + c.deviceId() + ".");
  }

  /**
   * The secret the command carries: a recovery PIN for a Mac, a passcode for resetPasscode. Over
   * Apple MDM, resetPasscode is ClearPasscode: Apple's protocol has no command that sets a chosen
   * passcode, so none is made and the user sets a new one.
   */
  ActionSecret secretFor(Device device, DeviceAction action) {
    if (needsRecoveryPin(device.platform, action.action)) {
      String pin = generator.recoveryPin();
      return secrets.seal(action.id, device.id, SecretKind.recoveryPin, pin, action.requestedAt);
    }
    if (action.action == ActionType.resetPasscode && !device.overAppleMdm()) {
      String passcode = generator.temporaryPasscode();
      return secrets.seal(
          action.id, device.id, SecretKind.temporaryPasscode, passcode, action.requestedAt);
    }
    return null;
  }

  static DeviceAction newAction(ActionCommand c, Instant now) {
    DeviceAction a = new DeviceAction();
    a.id = UUID.randomUUID();
    a.deviceId = c.deviceId();
    a.action = c.action();
    a.state = ActionState.pending;
    a.initiatedBy = c.actor();
    a.requestedAt = now;
    a.lastUpdatedAt = now;
    a.message = c.message();
    a.phoneNumber = c.phoneNumber();
    return a;
  }

  private static void refuse(ActionCommand c, Refusal reason) {
    throw new ProblemException(
        ProblemCode.actionNotSupported,
        "This device does not support " + c.action() + " (" + reason + ").",
        reason.name(),
        null);
  }

  /** Another request with the same Idempotency-Key committed first; its action is the answer. */
  static final class IdempotencyRace extends RuntimeException {
    IdempotencyRace() {
      super("idempotency key claimed concurrently", null, false, false);
    }
  }
}
