package dev.deviceactions.maintenance;

import dev.deviceactions.action.IdempotencyRepository;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.Committed;
import dev.deviceactions.common.Times;
import dev.deviceactions.secret.SecretKind;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;

/** One batch of each sweep step, each in a short transaction of its own so no lock is held long. */
@ApplicationScoped
public class SweepBatch {
  private final MaintenanceRepository repository;
  private final IdempotencyRepository keys;
  private final AuditLog audit;
  private final Event<Committed> committed;

  public SweepBatch(
      MaintenanceRepository repository,
      IdempotencyRepository keys,
      AuditLog audit,
      Event<Committed> committed) {
    this.repository = repository;
    this.keys = keys;
    this.audit = audit;
    this.committed = committed;
  }

  /** One statement, its own transaction. */
  public Uni<Long> purgeSecrets(SecretKind kind, Duration retention, int limit) {
    return repository.purgeSecrets(kind, Times.now().minus(retention), limit);
  }

  /** One statement, its own transaction; the timed-out restarts' events then go out at once. */
  public Uni<Long> timeOutRestarts(Duration timeout, int limit) {
    return repository
        .timeOutRestarts(timeout, Times.now(), limit)
        .invoke(
            failed -> {
              if (failed > 0) {
                committed.fire(Committed.INSTANCE);
              }
            });
  }

  @WithTransaction
  public Uni<Long> expireIdempotencyKeys(Duration window, int limit) {
    return keys.deleteExpired(Times.now().minus(window), limit).map(Integer::longValue);
  }

  @WithTransaction
  public Uni<Void> record(String actor, SweepResult result) {
    return audit.record(actor, AuditLog.SWEEP, null, null, AuditLog.OK, result.toJson());
  }
}
