package dev.deviceactions.maintenance;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The in-process sweep, every {@code device-actions.sweep.every} ("off" disables it). The first run
 * waits {@code initial-delay} so that it is off the start path; a run still going is never
 * overlapped.
 */
@ApplicationScoped
public class MaintenanceJobs {
  private final SweepService service;

  public MaintenanceJobs(SweepService service) {
    this.service = service;
  }

  @Scheduled(
      identity = "sweep",
      every = "${device-actions.sweep.every}",
      delayed = "${device-actions.sweep.initial-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    return service.sweep(MaintenanceRepository.SWEEP_ACTOR).replaceWithVoid();
  }
}
