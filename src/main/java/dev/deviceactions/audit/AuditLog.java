package dev.deviceactions.audit;

import dev.deviceactions.common.Times;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Writes audit events. Callers pass no secret: only ids, outcomes and codes go in. */
@ApplicationScoped
public class AuditLog {
  public static final String DEVICE_ENROLLED = "deviceEnrolled";
  public static final String DEVICE_REMOVED = "deviceRemoved";
  public static final String ACTION_REQUESTED = "actionRequested";
  public static final String ACTION_CANCELED = "actionCanceled";
  public static final String ACTION_TIMED_OUT = "actionTimedOut";
  public static final String SECRET_REVEALED = "secretRevealed";
  public static final String SWEEP = "sweep";

  /** SCEP issued an Apple device its identity certificate; the detail is the serial (hex). */
  public static final String APPLE_CERTIFICATE_ISSUED = "appleCertificateIssued";

  public static final String OK = "ok";
  public static final String ACCEPTED = "accepted";

  private final AuditRepository repository;

  public AuditLog(AuditRepository repository) {
    this.repository = repository;
  }

  /** Records an event in the caller's transaction. */
  public Uni<Void> record(
      String actor, String activity, UUID deviceId, UUID actionId, String outcome, String detail) {
    return repository
        .persist(event(actor, activity, deviceId, actionId, outcome, detail))
        .replaceWithVoid();
  }

  /** Records many events in the caller's transaction, as batched inserts. */
  public Uni<Void> recordAll(List<AuditEvent> events) {
    return events.isEmpty() ? Uni.createFrom().voidItem() : repository.persist(events);
  }

  public static AuditEvent event(
      String actor, String activity, UUID deviceId, UUID actionId, String outcome, String detail) {
    AuditEvent event = new AuditEvent();
    event.id = UUID.randomUUID();
    event.at = Times.now();
    event.actor = actor;
    event.activity = activity;
    event.deviceId = deviceId;
    event.actionId = actionId;
    event.outcome = outcome;
    event.detail = detail;
    return event;
  }

  /**
   * Records an event in a transaction of its own: for refusals, whose request transaction rolled
   * back so that nothing but this event is stored.
   */
  @WithTransaction
  public Uni<Void> recordAlone(
      String actor, String activity, UUID deviceId, UUID actionId, String outcome, String detail) {
    return record(actor, activity, deviceId, actionId, outcome, detail);
  }
}
