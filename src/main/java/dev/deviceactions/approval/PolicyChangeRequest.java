package dev.deviceactions.approval;

import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.BulkRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code PATCH /api/v1/approval-policies/{id}}: the fields to change (at least one),
 * and why; the change waits for another administrator's approval.
 */
public record PolicyChangeRequest(
    @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
        String displayName,
    @Size(min = 1, max = 5) List<@NotNull ActionType> actions,
    @Min(1) @Max(BulkRequest.MAX_DEVICES) Integer minimumDevices,
    @Size(max = Justification.MAX) String justification) {}
