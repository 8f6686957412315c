package dev.deviceactions.graph;

import dev.deviceactions.action.BulkView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.UUID;

/** Graph's {@code bulkManagedDeviceActionResult}: the bulk answer without its id. */
@RegisterForReflection
public record ExecuteActionResult(
    List<UUID> successfulDeviceIds,
    List<UUID> failedDeviceIds,
    List<UUID> notFoundDeviceIds,
    List<UUID> notSupportedDeviceIds) {

  static ExecuteActionResult of(BulkView bulk) {
    return new ExecuteActionResult(
        bulk.successfulDeviceIds(),
        bulk.failedDeviceIds(),
        bulk.notFoundDeviceIds(),
        bulk.notSupportedDeviceIds());
  }
}
