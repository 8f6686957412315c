package dev.deviceactions.approval;

/** Where an approval request is (Microsoft Graph's operationApprovalRequestStatus). */
public enum ApprovalStatus {
  /** Waiting for another administrator's decision, until it expires. */
  needsApproval,
  /** Approved; its operation is running. */
  approved,
  rejected,
  cancelled,
  /** Approved and run; the result says what the operation gave. */
  completed,
  /** Not decided in time (device-actions.approvals.ttl). */
  expired
}
