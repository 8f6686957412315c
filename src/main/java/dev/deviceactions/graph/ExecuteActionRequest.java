package dev.deviceactions.graph;

import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.BulkRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * The body of Graph beta's {@code managedDevices/executeAction}: a bulk request by other names.
 * {@code justification} is this service's own: Graph's body has none.
 */
@RegisterForReflection
public record ExecuteActionRequest(
    @NotNull ActionType actionName,
    @NotNull @Size(min = 1, max = BulkRequest.MAX_DEVICES) List<@NotNull UUID> deviceIds,
    @Size(max = 500) String justification) {

  BulkRequest bulk() {
    return new BulkRequest(actionName, deviceIds, null, null, null);
  }
}
