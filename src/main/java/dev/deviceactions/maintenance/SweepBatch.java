package dev.deviceactions.maintenance;

import dev.deviceactions.action.IdempotencyRepository;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.Times;
import dev.deviceactions.secret.SecretKind;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** One batch of each sweep step, each in a short transaction of its own so no lock is held long. */
@ApplicationScoped
public class SweepBatch {
  private final MaintenanceRepository repository;
  private final IdempotencyRepository keys;
  private final AuditLog audit;

  public SweepBatch(MaintenanceRepository repository, IdempotencyRepository keys, AuditLog audit) {
    this.repository = repository;
    this.keys = keys;
    this.audit = audit;
  }

  @WithTransaction
  public Uni<Long> purgeSecrets(SecretKind kind, Duration retention, int limit) {
    return repository.purgeSecrets(kind, Times.now().minus(retention), limit);
  }

  @WithTransaction
  public Uni<Long> timeOutRestarts(Duration timeout, int limit) {
    return repository.timeOutRestarts(timeout, Times.now(), limit);
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
