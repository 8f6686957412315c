package dev.deviceactions.action;

import dev.deviceactions.audit.AuditEvent;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One action for up to 10,000 devices in one transaction: one query finds the devices, one
 * statement claims the Macs' recovery-PIN guards, and the actions, secrets and audit events are
 * inserted in batches (statement-batch-size), never a round trip per device.
 */
@ApplicationScoped
public class BulkCreator {
  private final DeviceRepository devices;
  private final ActionRepository actions;
  private final ActionCreator single;
  private final SecretService secrets;
  private final AuditLog audit;
  private final DeviceActionsConfig config;

  public BulkCreator(
      DeviceRepository devices,
      ActionRepository actions,
      ActionCreator single,
      SecretService secrets,
      AuditLog audit,
      DeviceActionsConfig config) {
    this.devices = devices;
    this.actions = actions;
    this.single = single;
    this.secrets = secrets;
    this.audit = audit;
    this.config = config;
  }

  /** Which devices took the action, and why the others did not. */
  private record Outcome(
      List<Device> supported, List<UUID> notFound, List<UUID> notSupported, List<UUID> failed) {}

  @WithTransaction
  public Uni<BulkView> create(BulkRequest request, String actor) {
    Set<UUID> ids = new LinkedHashSet<>(request.deviceIds());
    Instant now = Times.now();
    UUID bulkId = UUID.randomUUID();
    return devices
        .findEnrolled(ids)
        .map(found -> triage(request.action(), ids, found))
        .chain(
            outcome ->
                claimGuards(request.action(), outcome.supported(), now)
                    .chain(claimed -> store(request, actor, bulkId, now, outcome, claimed)));
  }

  private static Outcome triage(ActionType action, Set<UUID> ids, List<Device> found) {
    Map<UUID, Device> byId =
        found.stream().collect(Collectors.toMap(d -> d.id, Function.identity()));
    Outcome outcome =
        new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (UUID id : ids) {
      Device d = byId.get(id);
      if (d == null) {
        outcome.notFound().add(id);
      } else if (SupportMatrix.check(action, d).isPresent()) {
        outcome.notSupported().add(id);
      } else {
        outcome.supported().add(d);
      }
    }
    return outcome;
  }

  /** Claims the guard of every Mac in one statement: device id to its new lock's action id. */
  private Uni<Map<UUID, UUID>> claimGuards(ActionType action, List<Device> supported, Instant now) {
    List<UUID> macs =
        supported.stream()
            .filter(d -> ActionCreator.needsRecoveryPin(d.platform, action))
            .map(d -> d.id)
            .toList();
    return devices.claimRecoveryPins(macs, now, now.minus(config.recoveryPin().retention()));
  }

  private Uni<BulkView> store(
      BulkRequest r,
      String actor,
      UUID bulkId,
      Instant now,
      Outcome outcome,
      Map<UUID, UUID> claimed) {
    List<DeviceAction> created = new ArrayList<>();
    List<ActionSecret> sealed = new ArrayList<>();
    List<AuditEvent> events = new ArrayList<>();
    for (Device d : outcome.supported()) {
      boolean mac = ActionCreator.needsRecoveryPin(d.platform, r.action());
      if (mac && !claimed.containsKey(d.id)) {
        outcome.failed().add(d.id);
        events.add(refused(actor, d.id, ProblemCode.recoveryPinOutstanding, null));
        continue;
      }
      ActionCommand c =
          new ActionCommand(d.id, r.action(), r.message(), r.phoneNumber(), null, actor);
      DeviceAction a = ActionCreator.newAction(c, now);
      a.bulkActionId = bulkId;
      a.id = mac ? claimed.get(d.id) : a.id;
      created.add(a);
      sealed.add(single.secretFor(d, a));
      events.add(
          AuditLog.event(
              actor, AuditLog.ACTION_REQUESTED, d.id, a.id, AuditLog.ACCEPTED, r.action().name()));
    }
    outcome
        .notFound()
        .forEach(id -> events.add(refused(actor, id, ProblemCode.deviceNotFound, null)));
    outcome
        .notSupported()
        .forEach(
            id ->
                events.add(refused(actor, id, ProblemCode.actionNotSupported, r.action().name())));
    sealed.removeIf(Objects::isNull);
    BulkView view =
        new BulkView(
            bulkId,
            created.stream().map(a -> a.deviceId).toList(),
            outcome.failed(),
            outcome.notFound(),
            outcome.notSupported());
    Uni<Void> stored = created.isEmpty() ? Uni.createFrom().voidItem() : actions.persist(created);
    return stored
        .call(() -> secrets.issueAll(sealed))
        .call(() -> audit.recordAll(events))
        .replaceWith(view);
  }

  private static AuditEvent refused(String actor, UUID deviceId, ProblemCode code, String detail) {
    return AuditLog.event(actor, AuditLog.ACTION_REQUESTED, deviceId, null, code.name(), detail);
  }
}
