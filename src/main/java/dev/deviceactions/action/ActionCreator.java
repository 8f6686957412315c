package dev.deviceactions.action;

import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.device.Platform;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretGenerator;
import dev.deviceactions.secret.SecretKind;
import dev.deviceactions.secret.SecretService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Creates one action in one transaction, checking in order: the Idempotency-Key, the device, the
 * support matrix, the macOS recovery-PIN guard. A refusal fails the transaction, so nothing of it
 * is stored; {@link ActionService} then audits the refusal in a transaction of its own.
 */
@ApplicationScoped
public class ActionCreator {
  public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

  private final DeviceRepository devices;
  private final ActionRepository actions;
  private final IdempotencyRepository keys;
  private final SecretService secrets;
  private final AuditLog audit;
  private final DeviceActionsConfig config;
  private final SecretGenerator generator;

  public ActionCreator(
      DeviceRepository devices,
      ActionRepository actions,
      IdempotencyRepository keys,
      SecretService secrets,
      AuditLog audit,
      DeviceActionsConfig config,
      SecretGenerator generator) {
    this.devices = devices;
    this.actions = actions;
    this.keys = keys;
    this.secrets = secrets;
    this.audit = audit;
    this.config = config;
    this.generator = generator;
  }

  @WithTransaction
  public Uni<DeviceAction> create(ActionCommand command) {
    return replay(command)
        .chain(original -> original != null ? Uni.createFrom().item(original) : createNew(command));
  }

  /** The action an earlier request with the same key created, or null when there is none. */
  @WithTransaction
  public Uni<DeviceAction> replay(ActionCommand c) {
    if (c.idempotencyKey() == null) {
      return Uni.createFrom().nullItem();
    }
    return keys.find(c.actor(), c.idempotencyKey(), Times.now().minus(IDEMPOTENCY_WINDOW))
        .chain(
            entry -> {
              if (entry == null) {
                return Uni.createFrom().nullItem();
              }
              if (!entry.deviceId().equals(c.deviceId()) || entry.action() != c.action()) {
                throw new ProblemException(
                    ProblemCode.idempotencyKeyReused,
                    "This Idempotency-Key was used for another device or action.");
              }
              return actions.findById(entry.actionId());
            });
  }

  private Uni<DeviceAction> createNew(ActionCommand c) {
    return devices
        .getEnrolled(c.deviceId())
        .chain(
            device -> {
              SupportMatrix.check(c.action(), device).ifPresent(r -> refuse(c, r));
              DeviceAction action = newAction(c, Times.now());
              return guardRecoveryPin(device, action)
                  .chain(() -> actions.persist(action))
                  .call(() -> issueSecret(device, action))
                  .call(
                      () ->
                          audit.record(
                              c.actor(),
                              AuditLog.ACTION_REQUESTED,
                              c.deviceId(),
                              action.id,
                              AuditLog.ACCEPTED,
                              c.action().name()))
                  .call(() -> recordKey(c, action));
            });
  }

  static boolean needsRecoveryPin(Platform platform, ActionType action) {
    return platform == Platform.macOS && action == ActionType.remoteLock;
  }

  private Uni<Void> guardRecoveryPin(Device device, DeviceAction action) {
    if (!needsRecoveryPin(device.platform, action.action)) {
      return Uni.createFrom().voidItem();
    }
    Instant expiredBefore = action.requestedAt.minus(config.recoveryPin().retention());
    return devices
        .claimRecoveryPin(device.id, action.id, action.requestedAt, expiredBefore)
        .invoke(
            claimed -> {
              if (!claimed) {
                throw new ProblemException(
                    ProblemCode.recoveryPinOutstanding,
                    "The recovery PIN of this Mac's last lock has not been used yet; send no new"
                        + " lock until it has unlocked the Mac.");
              }
            })
        .replaceWithVoid();
  }

  /** The secret the command carries: a recovery PIN for a Mac, a passcode for resetPasscode. */
  ActionSecret secretFor(Device device, DeviceAction action) {
    if (needsRecoveryPin(device.platform, action.action)) {
      String pin = generator.recoveryPin();
      return secrets.seal(action.id, device.id, SecretKind.recoveryPin, pin, action.requestedAt);
    }
    if (action.action == ActionType.resetPasscode) {
      String passcode = generator.temporaryPasscode();
      return secrets.seal(
          action.id, device.id, SecretKind.temporaryPasscode, passcode, action.requestedAt);
    }
    return null;
  }

  private Uni<Void> issueSecret(Device device, DeviceAction action) {
    ActionSecret secret = secretFor(device, action);
    return secret == null ? Uni.createFrom().voidItem() : secrets.issueAll(List.of(secret));
  }

  private Uni<Void> recordKey(ActionCommand c, DeviceAction action) {
    if (c.idempotencyKey() == null) {
      return Uni.createFrom().voidItem();
    }
    Instant freshAfter = action.requestedAt.minus(IDEMPOTENCY_WINDOW);
    return keys.claim(c.actor(), c.idempotencyKey(), action, freshAfter)
        .invoke(
            claimed -> {
              if (!claimed) {
                throw new IdempotencyRace();
              }
            })
        .replaceWithVoid();
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
