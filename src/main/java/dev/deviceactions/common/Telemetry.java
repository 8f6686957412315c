package dev.deviceactions.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The service's own Prometheus metrics (at /q/metrics): action requests by action and outcome,
 * state transitions, check-ins and commands delivered, sweep counts and durations, event attempts.
 */
@ApplicationScoped
public class Telemetry {
  private final MeterRegistry registry;

  public Telemetry(MeterRegistry registry) {
    this.registry = registry;
  }

  /** An action request answered: {@code accepted}, or the refusal's problem code. */
  public void actionRequested(String action, String outcome) {
    actionRequested(action, outcome, 1);
  }

  public void actionRequested(String action, String outcome, int devices) {
    registry
        .counter("device_actions_requests", "action", action, "outcome", outcome)
        .increment(devices);
  }

  /** An action moved to {@code state}. */
  public void transitioned(String action, String state) {
    registry.counter("device_actions_transitions", "action", action, "state", state).increment();
  }

  public void checkedIn(int commandsDelivered) {
    registry.counter("device_actions_checkins").increment();
    registry.counter("device_actions_commands_delivered").increment(commandsDelivered);
  }

  public void swept(long pins, long passcodes, long restarts, Duration took) {
    registry.counter("device_actions_sweep_purged", "secret", "recoveryPin").increment(pins);
    registry
        .counter("device_actions_sweep_purged", "secret", "temporaryPasscode")
        .increment(passcodes);
    registry.counter("device_actions_sweep_timed_out_restarts").increment(restarts);
    Timer.builder("device_actions_sweep_duration").register(registry).record(took);
  }

  /** Events after an attempt: {@code delivered}, {@code retry} or {@code failed}. */
  public void eventsSettled(String outcome, long events) {
    registry.counter("device_actions_events", "outcome", outcome).increment(events);
  }
}
