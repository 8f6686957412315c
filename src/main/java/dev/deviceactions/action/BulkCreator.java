package dev.deviceactions.action;

import dev.deviceactions.audit.AuditEvent;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.Times;
import dev.deviceactions.common.UnitOfWork;
import dev.deviceactions.device.Device;
import dev.deviceactions.secret.ActionSecret;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One action for up to 10,000 devices in one transaction of three statements, whatever their number
 * ({@link ActionStore}): find the devices, claim the Macs' recovery-PIN guards, then insert the
 * actions, secrets and audit events, each table from arrays.
 */
@ApplicationScoped
public class BulkCreator {
  private final ActionStore store;
  private final ActionCreator single;
  private final DeviceActionsConfig config;

  public BulkCreator(ActionStore store, ActionCreator single, DeviceActionsConfig config) {
    this.store = store;
    this.single = single;
    this.config = config;
  }

  /** Which devices took the action, and why the others did not. */
  private record Outcome(
      List<Device> supported, List<UUID> notFound, List<UUID> notSupported, List<UUID> failed) {}

  public Uni<BulkView> create(BulkRequest request, String actor) {
    Set<UUID> ids = new LinkedHashSet<>(request.deviceIds());
    Instant now = Times.now();
    UUID bulkId = UUID.randomUUID();
    // The transaction runs to its end even if the client hangs up (UnitOfWork).
    return UnitOfWork.runToEnd(
        store.inTransaction(
            connection ->
                store
                    .readDevices(connection, ids)
                    .map(found -> triage(request.action(), ids, found))
                    .chain(outcome -> store(connection, request, actor, bulkId, now, outcome))));
  }

  /**
   * Claims the Macs' guards, then writes what the guards allow: the second and third statements.
   */
  private Uni<BulkView> store(
      SqlConnection connection,
      BulkRequest request,
      String actor,
      UUID bulkId,
      Instant now,
      Outcome outcome) {
    Map<UUID, UUID> locks = newLocks(request.action(), outcome.supported());
    Instant freeBefore = now.minus(config.recoveryPin().retention());
    return store
        .claimPins(connection, locks, now, freeBefore)
        .chain(
            claimed -> {
              locks.keySet().retainAll(claimed);
              ActionStore.Bulk rows = rows(request, actor, bulkId, now, outcome, locks);
              return store.storeBulk(connection, rows).replaceWith(view(bulkId, rows, outcome));
            });
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

  /** A new lock's id for every Mac among the supported devices, which its guard will name. */
  private static Map<UUID, UUID> newLocks(ActionType action, List<Device> supported) {
    Map<UUID, UUID> locks = new LinkedHashMap<>();
    for (Device d : supported) {
      if (ActionCreator.needsRecoveryPin(d.platform, action)) {
        locks.put(d.id, UUID.randomUUID());
      }
    }
    return locks;
  }

  /** The rows to insert; a Mac missing from {@code locks} had its guard taken and failed. */
  private ActionStore.Bulk rows(
      BulkRequest r,
      String actor,
      UUID bulkId,
      Instant now,
      Outcome outcome,
      Map<UUID, UUID> locks) {
    List<DeviceAction> created = new ArrayList<>();
    List<ActionSecret> sealed = new ArrayList<>();
    List<AuditEvent> events = new ArrayList<>();
    for (Device d : outcome.supported()) {
      boolean mac = ActionCreator.needsRecoveryPin(d.platform, r.action());
      if (mac && !locks.containsKey(d.id)) {
        outcome.failed().add(d.id);
        events.add(refused(actor, d.id, ProblemCode.recoveryPinOutstanding, null));
        continue;
      }
      ActionCommand c =
          new ActionCommand(d.id, r.action(), r.message(), r.phoneNumber(), null, actor);
      DeviceAction a = ActionCreator.newAction(c, now);
      a.bulkActionId = bulkId;
      a.id = mac ? locks.get(d.id) : a.id;
      created.add(a);
      ActionSecret secret = single.secretFor(d, a);
      if (secret != null) {
        sealed.add(secret);
      }
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
    return new ActionStore.Bulk(
        bulkId, r.action(), actor, now, r.message(), r.phoneNumber(), created, sealed, events);
  }

  private static BulkView view(UUID bulkId, ActionStore.Bulk rows, Outcome outcome) {
    return new BulkView(
        bulkId,
        rows.actions().stream().map(a -> a.deviceId).toList(),
        outcome.failed(),
        outcome.notFound(),
        outcome.notSupported());
  }

  private static AuditEvent refused(String actor, UUID deviceId, ProblemCode code, String detail) {
    return AuditLog.event(actor, AuditLog.ACTION_REQUESTED, deviceId, null, code.name(), detail);
  }
}
