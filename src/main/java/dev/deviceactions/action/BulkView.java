package dev.deviceactions.action;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a bulk request, in the shape of Microsoft Graph's executeAction. Registered for
 * reflection: the bulk endpoint hands it over as a RestResponse entity of a generic type.
 */
@RegisterForReflection
public record BulkView(
    UUID bulkActionId,
    List<UUID> successfulDeviceIds,
    List<UUID> failedDeviceIds,
    List<UUID> notFoundDeviceIds,
    List<UUID> notSupportedDeviceIds) {}
