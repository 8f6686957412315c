package dev.deviceactions.audit;

import dev.deviceactions.common.Columns;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.time.Instant;
import java.util.UUID;

/** Who did what to which device, and how it ended. Never holds a secret. */
@Entity
public class AuditEvent {
  @Id public UUID id;
  public Instant at;
  public String actor;
  public String activity;
  public UUID deviceId;
  public UUID actionId;
  public String outcome;
  public String detail;

  /** An event as a statement returned it. */
  public static AuditEvent from(Columns row) {
    AuditEvent e = new AuditEvent();
    e.id = row.uuid("id");
    e.at = row.instant("at");
    e.actor = row.string("actor");
    e.activity = row.string("activity");
    e.deviceId = row.uuid("device_id");
    e.actionId = row.uuid("action_id");
    e.outcome = row.string("outcome");
    e.detail = row.string("detail");
    return e;
  }
}
