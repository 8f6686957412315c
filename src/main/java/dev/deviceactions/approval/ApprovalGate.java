package dev.deviceactions.approval;

import dev.deviceactions.action.ActionCommand;
import dev.deviceactions.action.ActionService;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.action.BulkRequest;
import dev.deviceactions.action.BulkView;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The request path's cover check: a request that a policy covers becomes an approval request and
 * creates no action; any other runs at once. One device's request asks the policies in memory
 * ({@link ApprovalPolicies}), so an uncovered one costs no statement; should memory be stale, the
 * action's insert fails on the database's fence and the request is checked again against a fresh
 * read. A bulk request reads the policies each time.
 */
@ApplicationScoped
public class ApprovalGate {
  /** The SQLSTATE of V10's fence: the insert of actions that a policy covers. */
  static final String FENCE = "DAAPR";

  private final ApprovalPolicies policies;
  private final ApprovalService approvals;
  private final ActionService actions;

  public ApprovalGate(ApprovalPolicies policies, ApprovalService approvals, ActionService actions) {
    this.policies = policies;
    this.approvals = approvals;
    this.actions = actions;
  }

  /** One action on one device, or its approval request; {@code justification} may be null. */
  public Uni<Gated<ActionView>> single(ActionCommand c, String justification) {
    Supplier<Uni<Gated<ActionView>>> hold =
        () ->
            approvals
                .hold(
                    draft(
                        c.action(),
                        false,
                        List.of(c.deviceId()),
                        c.message(),
                        c.phoneNumber(),
                        c.idempotencyKey(),
                        c.actor()),
                    justification)
                .map(Gated::heldFor);
    Supplier<Uni<Gated<ActionView>>> run = () -> actions.request(c).map(Gated::ran);
    return policies
        .mayCover(c.action(), 1)
        .chain(maybe -> maybe ? policies.covers(c.action(), 1) : Uni.createFrom().item(false))
        .chain(covered -> covered ? hold.get() : fenced(run, hold, c.action(), 1));
  }

  /** A bulk request, or its approval request. */
  public Uni<Gated<BulkView>> bulk(BulkRequest r, String actor, String justification) {
    List<UUID> devices = List.copyOf(new LinkedHashSet<>(r.deviceIds()));
    Supplier<Uni<Gated<BulkView>>> hold =
        () ->
            approvals
                .hold(
                    draft(r.action(), true, devices, r.message(), r.phoneNumber(), null, actor),
                    justification)
                .map(Gated::heldFor);
    Supplier<Uni<Gated<BulkView>>> run = () -> actions.requestBulk(r, actor).map(Gated::ran);
    return policies
        .covers(r.action(), devices.size())
        .chain(covered -> covered ? hold.get() : fenced(run, hold, r.action(), devices.size()));
  }

  /**
   * Runs the request; if the fence stops it (memory was stale, or a policy came in since it was
   * read), holds it if a fresh read confirms the cover, else runs it once more.
   */
  private <T> Uni<Gated<T>> fenced(
      Supplier<Uni<Gated<T>>> run, Supplier<Uni<Gated<T>>> hold, ActionType action, int devices) {
    return run.get()
        .onFailure(ApprovalGate::fence)
        .recoverWithUni(
            () -> policies.covers(action, devices).chain(c -> c ? hold.get() : run.get()));
  }

  static boolean fence(Throwable e) {
    return e instanceof PgException pg && FENCE.equals(pg.getSqlState());
  }

  /** A remote action to hold: the operation and what it runs with when approved. */
  private static ApprovalService.Draft draft(
      ActionType action,
      boolean bulk,
      List<UUID> devices,
      String message,
      String phoneNumber,
      String idempotencyKey,
      String actor) {
    return new ApprovalService.Draft(
        action.name(), bulk, devices, message, phoneNumber, idempotencyKey, null, null, actor);
  }
}
