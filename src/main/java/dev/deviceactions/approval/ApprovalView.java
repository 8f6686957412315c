package dev.deviceactions.approval;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An approval request as the API shows it ({@link ApprovalRequest#view}): an undecided request past
 * {@code expiresAt} reads as expired, decided at that time.
 */
@RegisterForReflection
public record ApprovalView(
    UUID id,
    ApprovalStatus status,
    String action,
    List<UUID> deviceIds,
    String requestedBy,
    Instant requestedAt,
    String justification,
    String decidedBy,
    Instant decidedAt,
    String decisionJustification,
    Instant expiresAt,
    ApprovalResult result,
    UUID policyId,
    PolicyChange policyChange,
    Instant lastModifiedAt) {}
