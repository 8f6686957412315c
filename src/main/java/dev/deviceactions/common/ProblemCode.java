package dev.deviceactions.common;

/** Every problem+json {@code code} of the HTTP contract, with its status and title. */
public enum ProblemCode {
  invalidRequest(400, "Invalid request"),
  unauthorized(401, "Unauthorized"),
  forbidden(403, "Forbidden"),
  selfApprovalForbidden(403, "Self-approval forbidden"),
  deviceNotFound(404, "Device not found"),
  actionNotFound(404, "Action not found"),
  eventNotFound(404, "Event not found"),
  approvalRequestNotFound(404, "Approval request not found"),
  approvalPolicyNotFound(404, "Approval policy not found"),
  notFound(404, "Not found"),
  methodNotAllowed(405, "Method not allowed"),
  notAcceptable(406, "Not acceptable"),
  recoveryPinOutstanding(409, "Recovery PIN outstanding"),
  actionNotCancelable(409, "Action not cancelable"),
  actionAlreadyCompleted(409, "Action already completed"),
  approvalRequestNotOpen(409, "Approval request not open"),
  payloadTooLarge(413, "Payload too large"),
  unsupportedMediaType(415, "Unsupported media type"),
  actionNotSupported(422, "Action not supported"),
  idempotencyKeyReused(422, "Idempotency key reused"),
  enrollmentNotSupported(422, "Enrollment not supported"),
  justificationRequired(422, "Justification required"),
  internalError(500, "Internal error"),
  serviceUnavailable(503, "Service unavailable");

  public final int status;
  public final String title;

  ProblemCode(int status, String title) {
    this.status = status;
    this.title = title;
  }
}
