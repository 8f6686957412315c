package dev.deviceactions.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The service's own Prometheus metrics (at /q/metrics): action requests by action and outcome,
 * state transitions, check-ins and commands delivered, the delay from accept to delivery, waiting
 * check-ins held, sweep counts and durations, event attempts, bearer tokens taken from the cache of
 * verified tokens, Apple MDM pushes and their delay from the commit.
 */
@ApplicationScoped
public class Telemetry {
  private final MeterRegistry registry;
  private final Timer deliveryDelay;
  private final Timer applePushDelay;
  private final Counter tokenCacheHits;
  private final Counter tokenCacheMisses;

  public Telemetry(MeterRegistry registry) {
    this.registry = registry;
    this.deliveryDelay =
        Timer.builder("device_actions_delivery_delay")
            .description("From an action's acceptance to the check-in that delivered it")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
    this.applePushDelay =
        Timer.builder("device_actions_apple_push_delay")
            .description(
                "From the commit of accepted actions to their APNs push leaving (first attempt)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
    // Built once: they are counted on every authenticated request.
    this.tokenCacheHits =
        tokenCache("hit", "Bearer tokens taken from the cache, not verified again");
    this.tokenCacheMisses =
        tokenCache("miss", "Bearer tokens not cached, verified by smallrye-jwt");
  }

  private Counter tokenCache(String result, String description) {
    return Counter.builder("device_actions_token_cache")
        .tag("result", result)
        .description(description)
        .register(registry);
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

  /**
   * A check-in handed over a command accepted at {@code requestedAt}. A command accepted while the
   * check-in's statement ran can precede the check-in's own clock reading: that is no delay.
   */
  public void delivered(Instant requestedAt, Instant now) {
    Duration delay = Duration.between(requestedAt, now);
    deliveryDelay.record(delay.isNegative() ? Duration.ZERO : delay);
  }

  /** The waiting check-ins held, keyed by device. */
  public void waitingCheckins(Map<?, ?> waiters) {
    Gauge.builder("device_actions_waiting_checkins", waiters, Map::size)
        .description("Check-ins held by Prefer: wait on this instance")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Waiting check-ins told to re-read their queues, {@code by} what: the commit on this instance, a
   * notification from another, or the catch-up query.
   */
  public void wokenUp(String by, int waiters) {
    if (waiters > 0) {
      registry.counter("device_actions_wakeups", "by", by).increment(waiters);
    }
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

  /**
   * An APNs push settled: {@code sent}, {@code retry} (one more attempt to come), {@code
   * invalidToken} (410), {@code refused} (another 4xx), {@code gaveUp} (retried for too long) or
   * {@code failed} (the push certificate, its key or apns-url cannot be used).
   */
  public void applePushed(String outcome) {
    registry.counter("device_actions_apple_pushes", "outcome", outcome).increment();
  }

  /** An APNs push's first attempt left, this long after the commit that asked for it. */
  public void applePushLeft(Duration sinceCommit) {
    applePushDelay.record(sinceCommit);
  }

  public void tokenCacheHit() {
    tokenCacheHits.increment();
  }

  public void tokenCacheMiss() {
    tokenCacheMisses.increment();
  }

  /** The verified bearer tokens cached on this instance. */
  public void tokenCacheSize(Supplier<Number> size) {
    Gauge.builder("device_actions_token_cache_size", size)
        .description("Verified bearer tokens cached on this instance")
        .strongReference(true)
        .register(registry);
  }
}
