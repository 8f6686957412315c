package dev.deviceactions.audit;

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
}
