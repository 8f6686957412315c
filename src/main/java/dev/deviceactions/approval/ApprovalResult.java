package dev.deviceactions.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deviceactions.action.BulkView;
import dev.deviceactions.common.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.UUID;

/**
 * What an approved operation gave: the created action (one device's request), the bulk answer, the
 * refusal under the rules as they were when it ran ({@code code}, {@code detail}, {@code reason}),
 * or the changed (or deleted) policy.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalResult(
    List<UUID> actionIds,
    UUID bulkActionId,
    List<UUID> successfulDeviceIds,
    List<UUID> failedDeviceIds,
    List<UUID> notFoundDeviceIds,
    List<UUID> notSupportedDeviceIds,
    String code,
    String detail,
    String reason,
    ApprovalPolicy policy,
    UUID deletedPolicyId) {

  static ApprovalResult action(UUID actionId) {
    return new ApprovalResult(
        List.of(actionId), null, null, null, null, null, null, null, null, null, null);
  }

  static ApprovalResult bulk(BulkView b) {
    return new ApprovalResult(
        null,
        b.bulkActionId(),
        b.successfulDeviceIds(),
        b.failedDeviceIds(),
        b.notFoundDeviceIds(),
        b.notSupportedDeviceIds(),
        null,
        null,
        null,
        null,
        null);
  }

  static ApprovalResult refused(ProblemException e) {
    return new ApprovalResult(
        null, null, null, null, null, null, e.code.name(), e.getMessage(), e.reason, null, null);
  }

  static ApprovalResult policy(ApprovalPolicy changed) {
    return new ApprovalResult(null, null, null, null, null, null, null, null, null, changed, null);
  }

  static ApprovalResult deleted(UUID policyId) {
    return new ApprovalResult(null, null, null, null, null, null, null, null, null, null, policyId);
  }
}
