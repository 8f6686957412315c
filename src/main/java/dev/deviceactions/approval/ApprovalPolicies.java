package dev.deviceactions.approval;

import dev.deviceactions.action.ActionType;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
  private final PolicyRepository repository;
  private volatile List<ApprovalPolicy> known;

  public ApprovalPolicies(PolicyRepository repository) {
    this.repository = repository;
  }

  /**
   * Reads the policies once at start, off the start path, so that no request pays for the first
   * read. A one-shot command serves nothing and skips it; a failure (a schema not migrated yet)
   * leaves it to the first request.
   */
  void atStart(
      @Observes StartupEvent event,
      @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true") boolean serving) {
    if (serving) {
      reload()
          .subscribe()
          .with(
              policies -> Log.debugf("%d approval policies", policies.size()),
              failure -> Log.debugf("Approval policies not read at start: %s", failure));
    }
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
