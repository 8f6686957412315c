package dev.deviceactions.apple;

import dev.deviceactions.action.ActionState;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One of the service's own MDM commands (inventory), queued beside the device's remote actions but
 * never shown as one. Its states are a subset of an action's: pending, active, done, failed.
 */
@Entity
@Table(name = "apple_command")
public class MdmCommand {
  @Id public UUID id;
  public UUID deviceId;
  public String requestType;

  @Enumerated(EnumType.STRING)
  public ActionState state;

  public int notNowCount;
  public Instant requestedAt;
  public Instant lastUpdatedAt;

  static MdmCommand queued(UUID deviceId, String requestType, Instant at) {
    MdmCommand c = new MdmCommand();
    c.id = UUID.randomUUID();
    c.deviceId = deviceId;
    c.requestType = requestType;
    c.state = ActionState.pending;
    c.requestedAt = at;
    c.lastUpdatedAt = at;
    return c;
  }
}
