package dev.deviceactions.action;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import java.time.Instant;
import java.util.UUID;

/** One remote action sent to one device, and where it is in its lifecycle. */
@Entity
public class DeviceAction {
  @Id public UUID id;
  public UUID deviceId;

  @Enumerated(EnumType.STRING)
  public ActionType action;

  @Enumerated(EnumType.STRING)
  public ActionState state;

  public String failureReason;
  public String detail;
  public String initiatedBy;
  public Instant requestedAt;
  public Instant lastUpdatedAt;
  public Instant completedAt;
  public UUID bulkActionId;
  public int notNowCount;
  public String message;
  public String phoneNumber;
}
