package dev.deviceactions.maintenance;

import dev.deviceactions.action.ActionCreator;
import dev.deviceactions.approval.ApprovalService;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Telemetry;
import dev.deviceactions.secret.SecretKind;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The maintenance sweep: purges recovery PINs and temporary passcodes past their retention, fails
 * restarts past their deadline and expires approval requests past their time. Work is done in
 * batches until a batch comes back short, so its cost follows the rows that expired, not the size
 * of the tables.
 */
@ApplicationScoped
public class SweepService {
  private final SweepBatch batch;
  private final DeviceActionsConfig config;
  private final Telemetry telemetry;
  private final ApprovalService approvals;

  public SweepService(
      SweepBatch batch,
      DeviceActionsConfig config,
      Telemetry telemetry,
      ApprovalService approvals) {
    this.batch = batch;
    this.config = config;
    this.telemetry = telemetry;
    this.approvals = approvals;
  }

  public Uni<SweepResult> sweep(String actor) {
    long started = System.nanoTime();
    int size = config.sweep().batchSize();
    var pins = config.recoveryPin().retention();
    var passcodes = config.temporaryPasscode().retention();
    return untilShort(() -> batch.purgeSecrets(SecretKind.recoveryPin, pins, size), size)
        .chain(
            purgedPins ->
                untilShort(
                        () -> batch.purgeSecrets(SecretKind.temporaryPasscode, passcodes, size),
                        size)
                    .chain(
                        purgedPasscodes ->
                            untilShort(
                                    () -> batch.timeOutRestarts(config.restart().timeout(), size),
                                    size)
                                .map(
                                    restarts ->
                                        new SweepResult(purgedPins, purgedPasscodes, restarts))))
        .call(
            () ->
                untilShort(
                    () -> batch.expireIdempotencyKeys(ActionCreator.IDEMPOTENCY_WINDOW, size),
                    size))
        // Approval requests past their time already read as expired; this writes it down and
        // audits it, which also puts the approval.decided event on the stream.
        .call(() -> untilShort(() -> approvals.expire(size, actor), size))
        .call(result -> batch.record(actor, result))
        .invoke(
            result -> {
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              telemetry.swept(
                  result.purgedRecoveryPins(),
                  result.purgedPasscodes(),
                  result.timedOutRestarts(),
                  took);
              Log.infof("Sweep by %s in %d ms: %s", actor, took.toMillis(), result.toJson());
            });
  }

  /** Runs batches one after another until one handles fewer than {@code size} rows; sums them. */
  private static Uni<Long> untilShort(Supplier<Uni<Long>> step, int size) {
    return Multi.createBy()
        .repeating()
        .<Long>uni(() -> step.get())
        .whilst(count -> count == size)
        .collect()
        .with(java.util.stream.Collectors.summingLong(Long::longValue));
  }
}
