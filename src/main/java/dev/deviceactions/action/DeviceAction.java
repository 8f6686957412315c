package dev.deviceactions.action;

import dev.deviceactions.common.Columns;
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

  /** An action as a statement (or PostgreSQL's JSON of its row) returned it. */
  public static DeviceAction from(Columns row) {
    DeviceAction a = new DeviceAction();
    a.id = row.uuid("id");
    a.deviceId = row.uuid("device_id");
    a.action = ActionType.valueOf(row.string("action"));
    String state = row.string("state");
    a.state = state == null ? null : ActionState.valueOf(state);
    a.failureReason = row.string("failure_reason");
    a.detail = row.string("detail");
    a.initiatedBy = row.string("initiated_by");
    a.requestedAt = row.instant("requested_at");
    a.lastUpdatedAt = row.instant("last_updated_at");
    a.completedAt = row.instant("completed_at");
    a.bulkActionId = row.uuid("bulk_action_id");
    a.notNowCount = row.integer("not_now_count");
    a.message = row.string("message");
    a.phoneNumber = row.string("phone_number");
    return a;
  }
}
