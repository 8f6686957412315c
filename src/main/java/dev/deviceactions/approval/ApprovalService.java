package dev.deviceactions.approval;

import dev.deviceactions.common.Committed;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.common.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The rules of approval requests: who may decide one (anyone but its requester; its requester alone
 * may cancel it), that a decision happens once, that an undecided one expires, and that approval
 * runs its operation at once ({@link ApprovalRunner}). Each write is announced as {@link Committed}
 * once it committed, so that the event relay sends its events at once.
 */
@ApplicationScoped
public class ApprovalService {
  static final String APPROVED = "approvalApproved";
  static final String REJECTED = "approvalRejected";
  static final String CANCELLED = "approvalCancelled";

  private final ApprovalRepository repository;
  private final ApprovalRunner runner;
  private final Duration ttl;
  private final Event<Committed> committed;

  public ApprovalService(
      ApprovalRepository repository,
      ApprovalRunner runner,
      DeviceActionsConfig config,
      Event<Committed> committed) {
    this.repository = repository;
    this.runner = runner;
    this.ttl = config.approvals().ttl();
    this.committed = committed;
  }

  /** Stores a request that waits for approval; {@code draft} names the operation and requester. */
  Uni<ApprovalView> hold(Draft draft, String justification) {
    Instant now = Times.now();
    if (justification == null || justification.isBlank()) {
      // Refused, and audited on its own: nothing else is stored.
      UUID device = draft.bulk() || draft.deviceIds().size() != 1 ? null : draft.deviceIds().get(0);
      ProblemException refusal = Justification.missing(draft.what());
      return repository
          .refused(draft.requestedBy(), device, refusal.code.name(), draft.what(), now)
          .chain(() -> Uni.createFrom().failure(refusal));
    }
    ApprovalRequest request = draft.toRequest(justification.strip(), now, now.plus(ttl));
    return UnitOfWork.runToEnd(announced(repository.request(request)))
        .map(stored -> stored.view(now));
  }

  public Uni<ApprovalView> get(UUID id) {
    return repository.find(id).map(ApprovalService::found).map(r -> r.view(Times.now()));
  }

  public Uni<Page<ApprovalView>> list(
      ApprovalStatus status, String requestedBy, Cursor cursor, int limit) {
    Instant now = Times.now();
    return repository
        .list(status, requestedBy, now, cursor, limit + 1)
        .map(
            rows ->
                Page.of(rows, limit, r -> new Cursor(r.requestedAt(), r.id()), r -> r.view(now)));
  }

  /** Approves and runs the operation as its requester's; the answer holds its result. */
  public Uni<ApprovalView> approve(UUID id, String approver, String justification) {
    Uni<ApprovalView> work =
        decide(id, ApprovalStatus.approved, approver, justification, APPROVED, false)
            .chain(runner::run)
            .map(done -> done.view(Times.now()));
    return UnitOfWork.runToEnd(announced(work));
  }

  public Uni<ApprovalView> reject(UUID id, String approver, String justification) {
    return UnitOfWork.runToEnd(
            announced(
                decide(id, ApprovalStatus.rejected, approver, justification, REJECTED, false)))
        .map(r -> r.view(Times.now()));
  }

  /** Withdraws an undecided request; only its requester may. */
  public Uni<ApprovalView> cancel(UUID id, String requester) {
    return UnitOfWork.runToEnd(
            announced(decide(id, ApprovalStatus.cancelled, requester, null, CANCELLED, true)))
        .map(r -> r.view(Times.now()));
  }

  /** The request as it read at {@code at}, from the JSON of its row (the event stream's data). */
  public ApprovalView eventView(JsonObject row, Instant at) {
    return repository.request(row).view(at);
  }

  /** Writes down up to {@code limit} requests that have expired; the sweep calls it. */
  public Uni<Long> expire(int limit, String actor) {
    return announced(repository.expire(Times.now(), limit, actor));
  }

  private <T> Uni<T> announced(Uni<T> write) {
    return write.invoke(() -> committed.fire(Committed.INSTANCE));
  }

  private Uni<ApprovalRequest> decide(
      UUID id,
      ApprovalStatus to,
      String actor,
      String justification,
      String activity,
      boolean byRequester) {
    String why = justification == null || justification.isBlank() ? null : justification.strip();
    return repository
        .decide(id, to, actor, why, activity, byRequester, Times.now())
        .chain(
            decided ->
                decided != null
                    ? Uni.createFrom().item(decided)
                    : repository.find(id).map(r -> refusal(found(r), actor, byRequester)));
  }

  /** Why a decision found the request closed to it, in the order a client should hear it. */
  private static ApprovalRequest refusal(ApprovalRequest r, String actor, boolean byRequester) {
    boolean requester = r.requestedBy().equals(actor);
    if (!byRequester && requester) {
      throw new ProblemException(
          ProblemCode.selfApprovalForbidden,
          "You made this request; another administrator must decide it.");
    }
    if (byRequester && !requester) {
      throw new ProblemException(
          ProblemCode.forbidden, "Only the administrator who made a request may cancel it.");
    }
    throw new ProblemException(
        ProblemCode.approvalRequestNotOpen,
        "This request is " + r.view(Times.now()).status() + ", no longer needsApproval.");
  }

  static ApprovalRequest found(ApprovalRequest r) {
    if (r == null) {
      throw new ProblemException(ProblemCode.approvalRequestNotFound, "No such approval request.");
    }
    return r;
  }

  /** An operation to hold for approval, before it has an id and a justification. */
  record Draft(
      String action,
      boolean bulk,
      List<UUID> deviceIds,
      String message,
      String phoneNumber,
      String idempotencyKey,
      UUID policyId,
      PolicyChange policyChange,
      String requestedBy) {

    /** What the request is, in words, for refusals and audit details. */
    String what() {
      return policyId != null
          ? action + " of policy " + policyId
          : bulk
              ? action + " for " + deviceIds.size() + " devices"
              : action + " on device " + deviceIds.getFirst();
    }

    ApprovalRequest toRequest(String justification, Instant now, Instant expiresAt) {
      return new ApprovalRequest(
          UUID.randomUUID(),
          ApprovalStatus.needsApproval,
          action,
          bulk,
          deviceIds,
          message,
          phoneNumber,
          idempotencyKey,
          policyId,
          policyChange,
          requestedBy,
          now,
          justification,
          null,
          null,
          null,
          expiresAt,
          null,
          now);
    }
  }
}
