package dev.deviceactions.agent;

import dev.deviceactions.action.CommandsRequested;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Notifications;
import dev.deviceactions.common.Telemetry;
import dev.deviceactions.common.Times;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the waiting check-ins when commands of their devices become pending, always after the
 * commit: those of this instance in process ({@link CommandsRequested}, a {@code notNow}), those of
 * the other replicas through {@link Notifications} on {@code device_action_pending} (device ids,
 * comma-separated). A wake-up can be lost (the replica that committed died before its notification
 * went out, the listening connection dropped), so each instance also catches up on its own: twice
 * per {@code device-actions.agent.catch-up} one query asks which devices waiting here have a
 * command to take, and at once after every (re)connect of the listener.
 *
 * <p>It also carries "a device now waits here" between instances ({@code device_checkin_waiting}):
 * each waiting check-in announces itself, and an instance that holds an older wait of that device
 * ends it, so that a newer waiting check-in ends the older one whichever instances hold them.
 */
@ApplicationScoped
public class PendingActions {
  static final String CHANNEL = "device_action_pending";
  static final String WAITING_CHANNEL = "device_checkin_waiting";

  private final Notifications notifications;
  private final CheckinWaiters waiters;
  private final CheckinRepository checkins;
  private final RestartDeadline deadline;
  private final Telemetry telemetry;
  private final Vertx vertx;
  private final long catchUpEveryMillis;
  private final AtomicBoolean catchingUp = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();

  /** Tells this instance's own announcements from the others'. */
  private final String instance = UUID.randomUUID().toString();

  public PendingActions(
      Notifications notifications,
      CheckinWaiters waiters,
      CheckinRepository checkins,
      RestartDeadline deadline,
      Telemetry telemetry,
      Vertx vertx,
      DeviceActionsConfig config) {
    this.notifications = notifications;
    this.waiters = waiters;
    this.checkins = checkins;
    this.deadline = deadline;
    this.telemetry = telemetry;
    this.vertx = vertx;
    this.catchUpEveryMillis = Math.max(1, config.agent().catchUp().toMillis() / 2);
  }

  /** Right after the HTTP server started, never on the start path; one-shot commands never do. */
  void start(@ObservesAsync HttpServerStart event) {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    notifications.listen(CHANNEL, this::notified, this::catchUp);
    notifications.listen(WAITING_CHANNEL, this::waitingElsewhere, () -> {});
    vertx.setPeriodic(catchUpEveryMillis, id -> catchUp());
  }

  /** Newly accepted actions committed (single or bulk). */
  void requested(@Observes CommandsRequested requested) {
    pending(requested.deviceIds());
  }

  /**
   * Commands of these devices are pending, committed: their waiters here re-read their queues now,
   * and the other replicas are told in the next batch.
   */
  void pending(Collection<UUID> deviceIds) {
    int woken = 0;
    for (UUID id : deviceIds) {
      woken += waiters.queueChanged(id) ? 1 : 0;
    }
    telemetry.wokenUp("commit", woken);
    notifications.send(CHANNEL, deviceIds.stream().map(UUID::toString).toList());
  }

  private void notified(String payload) {
    int woken = 0;
    try {
      for (String id : payload.split(",")) {
        woken += waiters.queueChanged(UUID.fromString(id)) ? 1 : 0;
      }
    } catch (IllegalArgumentException notOurs) {
      Log.warnf("Ignored a notification on %s that is not a list of device ids", CHANNEL);
    }
    telemetry.wokenUp("notification", woken);
  }

  /**
   * One query: which devices waiting here have a command the check-in would hand over. Their
   * waiters re-read; one catch-up at a time.
   */
  void catchUp() {
    List<UUID> held = waiters.devices();
    if (held.isEmpty() || !catchingUp.compareAndSet(false, true)) {
      return;
    }
    checkins
        .withCommands(held, deadline.overdueBefore(Times.now()))
        .subscribe()
        .with(
            found -> {
              catchingUp.set(false);
              int woken = 0;
              for (UUID id : found) {
                woken += waiters.queueChanged(id) ? 1 : 0;
              }
              telemetry.wokenUp("catch-up", woken);
            },
            failure -> {
              catchingUp.set(false);
              Log.debugf("Catch-up of %d waiting check-ins failed: %s", held.size(), failure);
            });
  }

  /**
   * Tells the other instances that {@code waiter}'s device now waits here. Best effort: if the
   * notification is lost, an older wait elsewhere just runs to its own end.
   */
  void announce(Waiter waiter) {
    notifications.send(
        WAITING_CHANNEL, List.of(waiter.deviceId + "," + instance + "," + waiter.registeredAt));
  }

  /**
   * Other instances hold newer waiting check-ins of these devices (device, instance, registration
   * time; one or more such triples in a payload): ours, if older, end.
   */
  private void waitingElsewhere(String payload) {
    String[] parts = payload.split(",");
    try {
      for (int i = 0; i + 2 < parts.length; i += 3) {
        if (!instance.equals(parts[i + 1])) {
          waiters.supersededElsewhere(UUID.fromString(parts[i]), Long.parseLong(parts[i + 2]));
        }
      }
    } catch (IllegalArgumentException notOurs) {
      Log.warnf("Ignored a notification on %s of an unknown form", WAITING_CHANNEL);
    }
  }
}
