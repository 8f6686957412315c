package dev.deviceactions.action;

import java.util.List;
import java.util.UUID;

/** The answer to a bulk request, in the shape of Microsoft Graph's executeAction. */
public record BulkView(
    UUID bulkActionId,
    List<UUID> successfulDeviceIds,
    List<UUID> failedDeviceIds,
    List<UUID> notFoundDeviceIds,
    List<UUID> notSupportedDeviceIds) {}
