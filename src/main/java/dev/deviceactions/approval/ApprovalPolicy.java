package dev.deviceactions.approval;

import dev.deviceactions.action.ActionType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A policy: requests for one of {@code actions} that target at least {@code minimumDevices} devices
 * need another administrator's approval.
 */
@RegisterForReflection
public record ApprovalPolicy(
    UUID id,
    String displayName,
    List<ActionType> actions,
    int minimumDevices,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  /** Whether a request for {@code action} on {@code devices} devices needs approval. */
  public boolean covers(ActionType action, int devices) {
    return devices >= minimumDevices && actions.contains(action);
  }

  /** The policy in its row; an action name this build does not know (a newer one's) is left out. */
  static ApprovalPolicy from(Row row) {
    return new ApprovalPolicy(
        row.getUUID("id"),
        row.getString("display_name"),
        Arrays.stream(ActionType.values())
            .filter(a -> Arrays.asList(row.getArrayOfStrings("actions")).contains(a.name()))
            .toList(),
        row.getInteger("minimum_devices"),
        row.getString("created_by"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }
}
