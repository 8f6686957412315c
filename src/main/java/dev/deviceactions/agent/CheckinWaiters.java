package dev.deviceactions.agent;

import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Telemetry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waiting check-ins this instance holds, one per device, up to {@code
 * device-actions.agent.max-waiters}; a newer one of the same device ends the older (here, or on
 * another instance: {@link PendingActions#announce}), and shutdown ends them all before the HTTP
 * server waits for in-flight requests.
 */
@ApplicationScoped
public class CheckinWaiters {
  private final Map<UUID, Waiter> byDevice = new ConcurrentHashMap<>();
  private final int limit;
  private volatile boolean closing;

  public CheckinWaiters(DeviceActionsConfig config, Telemetry telemetry) {
    this.limit = config.agent().maxWaiters();
    telemetry.waitingCheckins(byDevice);
  }

  /**
   * A waiter for the device that ends by itself after {@code wait}, registered on the caller's
   * Vert.x context; empty when this instance is full or shutting down.
   */
  Optional<Waiter> hold(UUID deviceId, Duration wait) {
    if (closing || (byDevice.size() >= limit && !byDevice.containsKey(deviceId))) {
      return Optional.empty();
    }
    Waiter waiter = new Waiter(deviceId, Vertx.currentContext());
    waiter.endAfter(wait);
    Waiter older = byDevice.put(deviceId, waiter);
    if (older != null) {
      older.end();
    }
    if (closing) {
      waiter.end();
    }
    return Optional.of(waiter);
  }

  void release(Waiter waiter) {
    byDevice.remove(waiter.deviceId, waiter);
    waiter.cancelTimer();
  }

  /**
   * Another instance holds a waiting check-in of the device registered at {@code registeredAt}
   * (epoch milliseconds): this instance's, if older, ends with no commands.
   */
  void supersededElsewhere(UUID deviceId, long registeredAt) {
    Waiter waiter = byDevice.get(deviceId);
    if (waiter != null && waiter.registeredAt < registeredAt) {
      waiter.end();
    }
  }

  /** Commands of this device became pending: its waiter here, if any, re-reads its queue (true). */
  boolean queueChanged(UUID deviceId) {
    Waiter waiter = byDevice.get(deviceId);
    if (waiter != null) {
      waiter.queueChanged();
    }
    return waiter != null;
  }

  /** The devices whose check-ins wait here. */
  List<UUID> devices() {
    return List.copyOf(byDevice.keySet());
  }

  int size() {
    return byDevice.size();
  }

  /**
   * The first thing Quarkus does on SIGTERM (quarkus.shutdown.delay-enabled), before its graceful
   * shutdown waits for in-flight requests: answering the waiters then lets them go at once.
   */
  void onShutdownStarted(@Observes ShutdownDelayInitiatedEvent event) {
    endAll();
  }

  void onShutdown(@Observes ShutdownEvent event) {
    endAll();
  }

  private void endAll() {
    closing = true;
    if (!byDevice.isEmpty()) {
      Log.infof("Shutting down: answering %d waiting check-ins", byDevice.size());
    }
    byDevice.values().forEach(Waiter::end);
  }
}
