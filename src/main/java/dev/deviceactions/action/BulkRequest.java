package dev.deviceactions.action;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/device-actions/bulk}; {@code justification} is for a request that
 * an approval policy covers.
 */
public record BulkRequest(
    @NotNull ActionType action,
    @NotNull @Size(min = 1, max = MAX_DEVICES) List<@NotNull UUID> deviceIds,
    @Size(max = 500) String message,
    @Size(max = 50) String phoneNumber,
    @Size(max = 500) String justification) {
  /** The most devices one bulk request may name. */
  public static final int MAX_DEVICES = 10_000;
}
