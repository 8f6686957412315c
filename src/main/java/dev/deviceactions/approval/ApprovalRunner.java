package dev.deviceactions.approval;

import dev.deviceactions.action.ActionCommand;
import dev.deviceactions.action.ActionService;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.BulkRequest;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs an approved request's operation: the remote action through {@link ActionService}, as its
 * requester and under the rules as they are now (a refusal, such as the recovery-PIN guard, becomes
 * the result), or the policy change; then records the result and completes the request.
 */
@ApplicationScoped
public class ApprovalRunner {
  private final ActionService actions;
  private final ApprovalRepository repository;
  private final PolicyRepository policyRepository;
  private final ApprovalPolicies policies;

  public ApprovalRunner(
      ActionService actions,
      ApprovalRepository repository,
      PolicyRepository policyRepository,
      ApprovalPolicies policies) {
    this.actions = actions;
    this.repository = repository;
    this.policyRepository = policyRepository;
    this.policies = policies;
  }

  Uni<ApprovalRequest> run(ApprovalRequest approved) {
    Uni<ApprovalResult> result =
        approved.changesPolicy()
            ? changePolicy(approved)
            : approved.bulk() ? bulk(approved) : single(approved);
    return result
        .onFailure(ProblemException.class)
        .recoverWithItem(e -> ApprovalResult.refused((ProblemException) e))
        .chain(r -> repository.complete(approved.id(), r, Times.now()));
  }

  private Uni<ApprovalResult> single(ApprovalRequest r) {
    ActionCommand command =
        new ActionCommand(
            r.deviceIds().getFirst(),
            ActionType.valueOf(r.action()),
            r.message(),
            r.phoneNumber(),
            r.idempotencyKey(),
            r.requestedBy());
    return actions.request(command).map(view -> ApprovalResult.action(view.id()));
  }

  private Uni<ApprovalResult> bulk(ApprovalRequest r) {
    BulkRequest request =
        new BulkRequest(
            ActionType.valueOf(r.action()), r.deviceIds(), r.message(), r.phoneNumber(), null);
    return actions.requestBulk(request, r.requestedBy()).map(ApprovalResult::bulk);
  }

  private Uni<ApprovalResult> changePolicy(ApprovalRequest r) {
    Uni<ApprovalResult> applied =
        r.policyChange() == null
            ? policyRepository
                .deletePolicy(r.policyId())
                .map(gone -> gone ? ApprovalResult.deleted(r.policyId()) : notFound(r))
            : policyRepository
                .changePolicy(r.policyId(), r.policyChange(), Times.now())
                .map(p -> p != null ? ApprovalResult.policy(p) : notFound(r));
    return applied.call(policies::reload);
  }

  private static ApprovalResult notFound(ApprovalRequest r) {
    return ApprovalResult.refused(
        new ProblemException(
            ProblemCode.approvalPolicyNotFound, "Policy " + r.policyId() + " no longer exists."));
  }
}
