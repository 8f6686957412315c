package dev.deviceactions.approval;

import dev.deviceactions.action.ActionType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The policies, as this instance last read them, so that the request path decides "not covered"
 * without a statement. Memory is only ever trusted for that answer, and the database stands behind
 * it: the insert of an action that a policy covers fails (V10's fence trigger) when this copy is
 * stale, on any instance, and the gate then re-reads. "Covered" is always confirmed by a fresh
 * read, so a policy deleted on another instance costs one read here. No notification is needed, and
 * none can be lost.
 */
@ApplicationScoped
public class ApprovalPolicies {
  private final ApprovalRepository repository;
  private volatile List<ApprovalPolicy> known;

  public ApprovalPolicies(ApprovalRepository repository) {
    this.repository = repository;
  }

  /** Whether memory says a policy covers the request; on the first call it reads them. */
  Uni<Boolean> mayCover(ActionType action, int devices) {
    List<ApprovalPolicy> policies = known;
    if (policies != null) {
      return Uni.createFrom().item(covers(policies, action, devices));
    }
    return reload().map(fresh -> covers(fresh, action, devices));
  }

  /** Whether a policy covers the request, read from the database now. */
  Uni<Boolean> covers(ActionType action, int devices) {
    return reload().map(fresh -> covers(fresh, action, devices));
  }

  /** Reads the policies again and keeps them. */
  Uni<List<ApprovalPolicy>> reload() {
    return repository.policies().invoke(fresh -> known = fresh);
  }

  private static boolean covers(List<ApprovalPolicy> policies, ActionType action, int devices) {
    for (ApprovalPolicy p : policies) {
      if (p.covers(action, devices)) {
        return true;
      }
    }
    return false;
  }
}
