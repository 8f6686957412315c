package dev.deviceactions.approval;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An approval request as stored: the operation it holds (a remote action on one device or in bulk,
 * or a policy change), who asked and why, and its decision.
 */
record ApprovalRequest(
    UUID id,
    ApprovalStatus status,
    String action,
    boolean bulk,
    List<UUID> deviceIds,
    String message,
    String phoneNumber,
    String idempotencyKey,
    UUID policyId,
    PolicyChange policyChange,
    String requestedBy,
    Instant requestedAt,
    String justification,
    String decidedBy,
    Instant decidedAt,
    String decisionJustification,
    Instant expiresAt,
    ApprovalResult result,
    Instant lastModifiedAt) {

  static final String UPDATE_POLICY = "updateApprovalPolicy";
  static final String DELETE_POLICY = "deleteApprovalPolicy";

  /** Whether it holds a policy change rather than a remote action. */
  boolean changesPolicy() {
    return policyId != null;
  }

  /**
   * The request as it reads at {@code now}: one left undecided past its time has expired then,
   * whether or not the sweep has written it down.
   */
  ApprovalView view(Instant now) {
    boolean lapsed = status == ApprovalStatus.needsApproval && !now.isBefore(expiresAt);
    return new ApprovalView(
        id,
        lapsed ? ApprovalStatus.expired : status,
        action,
        deviceIds,
        requestedBy,
        requestedAt,
        justification,
        decidedBy,
        lapsed ? expiresAt : decidedAt,
        decisionJustification,
        expiresAt,
        result,
        policyId,
        policyChange,
        lapsed ? expiresAt : lastModifiedAt);
  }
}
