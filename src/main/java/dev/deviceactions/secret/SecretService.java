package dev.deviceactions.secret;

import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.audit.AuditEvent;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.DeviceRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Issues, shows and ages PINs and passcodes. A secret is shown while its action is the device's
 * latest and it has not expired; expiry is checked on every read, whether or not a sweep ran.
 */
@ApplicationScoped
public class SecretService {
  private final SecretRepository secrets;
  private final ActionRepository actions;
  private final DeviceRepository devices;
  private final SecretCipher cipher;
  private final AuditLog audit;
  private final DeviceActionsConfig config;

  public SecretService(
      SecretRepository secrets,
      ActionRepository actions,
      DeviceRepository devices,
      SecretCipher cipher,
      AuditLog audit,
      DeviceActionsConfig config) {
    this.secrets = secrets;
    this.actions = actions;
    this.devices = devices;
    this.cipher = cipher;
    this.audit = audit;
    this.config = config;
  }

  /** A new secret, encrypted; the caller persists it. */
  public ActionSecret seal(
      UUID actionId, UUID deviceId, SecretKind kind, String value, Instant at) {
    ActionSecret secret = new ActionSecret();
    secret.actionId = actionId;
    secret.deviceId = deviceId;
    secret.kind = kind;
    secret.ciphertext = cipher.encrypt(value);
    secret.issuedAt = at;
    return secret;
  }

  /** Stores a new secret, encrypted, in the caller's transaction. */
  public Uni<ActionSecret> issue(
      UUID actionId, UUID deviceId, SecretKind kind, String value, Instant at) {
    return secrets.persist(seal(actionId, deviceId, kind, value, at));
  }

  public Uni<Void> issueAll(List<ActionSecret> sealed) {
    return sealed.isEmpty() ? Uni.createFrom().voidItem() : secrets.persist(sealed);
  }

  public Duration retention(SecretKind kind) {
    return kind == SecretKind.recoveryPin
        ? config.recoveryPin().retention()
        : config.temporaryPasscode().retention();
  }

  public Instant expiresAt(ActionSecret secret) {
    return secret.issuedAt.plus(retention(secret.kind));
  }

  public boolean isLive(ActionSecret secret, Instant now) {
    return secret.ciphertext != null && expiresAt(secret).isAfter(now);
  }

  /** The live secrets of these actions, by action id. */
  public Uni<Map<UUID, ActionSecret>> liveFor(Collection<UUID> actionIds) {
    Instant now = Times.now();
    return secrets
        .storedFor(actionIds)
        .map(
            found ->
                found.stream()
                    .filter(s -> isLive(s, now))
                    .collect(Collectors.toMap(s -> s.actionId, Function.identity())));
  }

  public String reveal(ActionSecret secret) {
    return cipher.decrypt(secret.ciphertext);
  }

  /**
   * These live secrets revealed to {@code actor}, each audited as {@code secretRevealed} in the
   * caller's transaction; none for a null actor (a caller who may not read secrets).
   */
  public Uni<Map<UUID, SecretView>> reveal(Collection<ActionSecret> live, String actor) {
    if (actor == null || live.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<AuditEvent> events =
        live.stream()
            .map(
                s ->
                    AuditLog.event(
                        actor,
                        AuditLog.SECRET_REVEALED,
                        s.deviceId,
                        s.actionId,
                        "revealed",
                        s.kind.name()))
            .toList();
    return audit
        .recordAll(events)
        .map(v -> live.stream().collect(Collectors.toMap(s -> s.actionId, this::view)));
  }

  /** {@code GET /devices/{id}/secrets}: the latest action's secret, audited. */
  @WithTransaction
  public Uni<DeviceSecretsView> forDevice(UUID deviceId, String actor) {
    return devices
        .getEnrolled(deviceId)
        .chain(d -> actions.latestOf(List.of(deviceId)))
        .chain(latest -> liveFor(latest.stream().map(a -> a.id).toList()))
        .map(live -> live.values().stream().findFirst().map(this::view).orElse(null))
        .call(
            shown ->
                audit.record(
                    actor,
                    AuditLog.SECRET_REVEALED,
                    deviceId,
                    shown == null ? null : shown.actionId(),
                    shown == null ? "nothingToShow" : "revealed",
                    shown == null ? null : shown.kind().name()))
        .map(
            shown ->
                new DeviceSecretsView(
                    shown != null && shown.kind() == SecretKind.recoveryPin ? shown : null,
                    shown != null && shown.kind() == SecretKind.temporaryPasscode ? shown : null));
  }

  /** {@code GET /device-actions/{id}/secret}: the PIN history, one action at a time, audited. */
  @WithTransaction
  public Uni<SecretView> forAction(UUID actionId, String actor) {
    return liveFor(List.of(actionId))
        .map(live -> live.get(actionId))
        .onItem()
        .ifNull()
        .failWith(
            () ->
                new ProblemException(
                    ProblemCode.actionNotFound, "Action " + actionId + " has no secret to show."))
        .call(
            s ->
                audit.record(
                    actor,
                    AuditLog.SECRET_REVEALED,
                    s.deviceId,
                    actionId,
                    "revealed",
                    s.kind.name()))
        .map(this::view);
  }

  private SecretView view(ActionSecret s) {
    return new SecretView(s.kind, reveal(s), s.actionId, s.issuedAt, expiresAt(s));
  }
}
