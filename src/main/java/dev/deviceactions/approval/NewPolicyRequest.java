package dev.deviceactions.approval;

import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.BulkRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The body of {@code POST /api/v1/approval-policies}. */
public record NewPolicyRequest(
    @NotBlank @Size(max = 200) String displayName,
    @NotNull @Size(min = 1, max = 5) List<@NotNull ActionType> actions,
    @NotNull @Min(1) @Max(BulkRequest.MAX_DEVICES) Integer minimumDevices) {}
