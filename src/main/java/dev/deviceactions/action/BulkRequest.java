package dev.deviceactions.action;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** The body of {@code POST /api/v1/device-actions/bulk}. */
public record BulkRequest(
    @NotNull ActionType action,
    @NotNull @Size(min = 1, max = 10_000) List<@NotNull UUID> deviceIds,
    @Size(max = 500) String message,
    @Size(max = 50) String phoneNumber) {}
