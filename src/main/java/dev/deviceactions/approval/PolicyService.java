package dev.deviceactions.approval;

import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.common.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Approval policies. Creating one takes effect at once; changing or deleting one is itself an
 * approval request, so that one administrator cannot switch the protection off and then act alone.
 */
@ApplicationScoped
public class PolicyService {
  private final PolicyRepository repository;
  private final ApprovalPolicies policies;
  private final ApprovalService approvals;

  public PolicyService(
      PolicyRepository repository, ApprovalPolicies policies, ApprovalService approvals) {
    this.repository = repository;
    this.policies = policies;
    this.approvals = approvals;
  }

  public Uni<ApprovalPolicy> create(NewPolicyRequest request, String actor) {
    return UnitOfWork.runToEnd(repository.createPolicy(request, actor, Times.now()))
        .call(policies::reload);
  }

  public Uni<List<ApprovalPolicy>> list() {
    return policies.reload();
  }

  public Uni<ApprovalPolicy> get(UUID id) {
    return repository.findPolicy(id).map(PolicyService::found);
  }

  /** Holds a change of the policy for another administrator's approval. */
  public Uni<ApprovalView> requestChange(UUID id, PolicyChangeRequest change, String actor) {
    if (change.displayName() == null
        && change.actions() == null
        && change.minimumDevices() == null) {
      throw ProblemException.invalid("body", "names nothing to change");
    }
    PolicyChange proposed =
        new PolicyChange(
            change.displayName() == null ? null : change.displayName().strip(),
            change.actions() == null ? null : change.actions().stream().distinct().toList(),
            change.minimumDevices());
    return hold(id, ApprovalRequest.UPDATE_POLICY, proposed, actor, change.justification());
  }

  /** Holds the deletion of the policy for another administrator's approval. */
  public Uni<ApprovalView> requestDelete(UUID id, String actor, String justification) {
    return hold(id, ApprovalRequest.DELETE_POLICY, null, actor, justification);
  }

  private Uni<ApprovalView> hold(
      UUID id, String action, PolicyChange change, String actor, String justification) {
    return get(id)
        .chain(
            policy ->
                approvals.hold(
                    new ApprovalService.Draft(
                        action, false, List.of(), null, null, null, id, change, actor),
                    justification));
  }

  private static ApprovalPolicy found(ApprovalPolicy p) {
    if (p == null) {
      throw new ProblemException(ProblemCode.approvalPolicyNotFound, "No such approval policy.");
    }
    return p;
  }
}
