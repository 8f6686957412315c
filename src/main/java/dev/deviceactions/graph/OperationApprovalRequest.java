package dev.deviceactions.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deviceactions.approval.ApprovalView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An approval request as Graph beta's {@code operationApprovalRequest}. The requester and the
 * approver are identity sets naming the user as the audit trail does (upn, else preferred_username,
 * else sub). Graph's status names are this API's.
 */
@RegisterForReflection
public record OperationApprovalRequest(
    @JsonProperty("@odata.type") String type,
    String id,
    Instant requestDateTime,
    Instant expirationDateTime,
    Instant lastModifiedDateTime,
    IdentitySet requestor,
    IdentitySet approver,
    String status,
    String requestJustification,
    String approvalJustification,
    List<String> requiredOperationApprovalPolicyTypes) {

  static final String TYPE = "#microsoft.graph.operationApprovalRequest";

  /** Graph's operationApprovalPolicyType of each operation. */
  static final Map<String, String> POLICY_TYPES =
      Map.of(
          "remoteLock", "deviceLock",
          "resetPasscode", "deviceResetPasscode",
          "removePasscode", "deviceResetPasscode",
          "resetPin", "deviceResetPasscode",
          "rebootNow", "deviceAction",
          "updateApprovalPolicy", "operationApprovalPolicy",
          "deleteApprovalPolicy", "operationApprovalPolicy");

  /** Graph's {@code identitySet}, with its user only. */
  @RegisterForReflection
  public record IdentitySet(Identity user) {
    static IdentitySet of(String actor) {
      return actor == null ? null : new IdentitySet(new Identity(actor, actor));
    }
  }

  @RegisterForReflection
  public record Identity(String id, String displayName) {}

  static OperationApprovalRequest of(ApprovalView r) {
    return new OperationApprovalRequest(
        TYPE,
        r.id().toString(),
        r.requestedAt(),
        r.expiresAt(),
        r.lastModifiedAt(),
        IdentitySet.of(r.requestedBy()),
        IdentitySet.of(r.decidedBy()),
        r.status().name(),
        r.justification(),
        r.decisionJustification(),
        List.of(POLICY_TYPES.getOrDefault(r.action(), "unknown")));
  }
}
