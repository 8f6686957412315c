package dev.deviceactions.audit;

import java.time.Instant;
import java.util.UUID;

/** An audit event as {@code GET /api/v1/audit-events} shows it. */
public record AuditEventView(
    UUID id,
    Instant at,
    String actor,
    String activity,
    UUID deviceId,
    UUID actionId,
    String outcome,
    String detail) {

  static AuditEventView of(AuditEvent e) {
    return new AuditEventView(
        e.id, e.at, e.actor, e.activity, e.deviceId, e.actionId, e.outcome, e.detail);
  }
}
