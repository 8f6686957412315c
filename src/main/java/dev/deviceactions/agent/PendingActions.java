package dev.deviceactions.agent;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * LISTENs on {@code device_action_pending} (migration V5 notifies it when actions become pending)
 * over one connection of its own, outside the pool, and wakes this instance's waiters. It starts
 * with the first waiting check-in, so one-shot commands and instances that never hold one open no
 * connection. Notifications sent while the connection is lost are lost with it: after a reconnect
 * every waiter re-reads its queue, and so does each after the very first LISTEN.
 *
 * <p>It also carries "a device now waits here" between instances ({@code device_checkin_waiting}):
 * each waiting check-in announces itself, and an instance that holds an older wait of that device
 * ends it, so that a newer waiting check-in ends the older one whichever instances hold them.
 */
@ApplicationScoped
public class PendingActions {
  static final String CHANNEL = "device_action_pending";
  static final String WAITING_CHANNEL = "device_checkin_waiting";
  private static final long MAX_RECONNECT_DELAY_MS = 2000;

  private final Vertx vertx;
  private final CheckinWaiters waiters;
  private final Pool database;
  private final PgConnectOptions options;

  /** Tells this instance's own announcements from the others'. */
  private final String instance = UUID.randomUUID().toString();

  private PgSubscriber subscriber;
  private boolean closed;

  public PendingActions(
      Vertx vertx,
      CheckinWaiters waiters,
      Pool database,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.vertx = vertx;
    this.waiters = waiters;
    this.database = database;
    this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
  }

  /** Starts listening, once. */
  synchronized void listen() {
    if (subscriber != null || closed) {
      return;
    }
    subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(PendingActions::delay);
    subscriber
        .channel(CHANNEL)
        .subscribeHandler(
            v -> {
              Log.infof("Listening on %s; %d waiting check-ins re-read", CHANNEL, waiters.size());
              waiters.queuesMayHaveChanged();
            })
        .handler(this::woken);
    subscriber.channel(WAITING_CHANNEL).handler(this::waitingElsewhere);
    subscriber.closeHandler(v -> Log.warnf("No longer listening on %s", CHANNEL));
    connect();
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    subscriber
        .connect()
        .onFailure(
            failure -> {
              // A first connect that fails is not retried by the subscriber itself.
              Log.warnf("Cannot listen on %s yet: %s", CHANNEL, failure.getMessage());
              subscriber.close();
              vertx.setTimer(MAX_RECONNECT_DELAY_MS, id -> connect());
            });
  }

  private void woken(String payload) {
    try {
      for (String id : payload.split(",")) {
        waiters.queueChanged(UUID.fromString(id));
      }
    } catch (IllegalArgumentException notOurs) {
      Log.warnf("Ignored a notification on %s that is not a list of device ids", CHANNEL);
    }
  }

  /**
   * Tells the other instances that {@code waiter}'s device now waits here. Best effort: if the
   * notification is lost, an older wait elsewhere just runs to its own end.
   */
  void announce(Waiter waiter) {
    database
        .preparedQuery("select pg_notify($1, $2)")
        .execute(
            Tuple.of(WAITING_CHANNEL, waiter.deviceId + "," + instance + "," + waiter.registeredAt))
        .subscribe()
        .with(
            done -> {},
            failure ->
                Log.debugf("Waiting check-in of %s not announced: %s", waiter.deviceId, failure));
  }

  /** Another instance holds a newer waiting check-in of a device: ours, if older, ends. */
  private void waitingElsewhere(String payload) {
    String[] parts = payload.split(",");
    try {
      if (parts.length == 3 && !instance.equals(parts[1])) {
        waiters.supersededElsewhere(UUID.fromString(parts[0]), Long.parseLong(parts[2]));
      }
    } catch (IllegalArgumentException notOurs) {
      Log.warnf("Ignored a notification on %s of an unknown form", WAITING_CHANNEL);
    }
  }

  /**
   * Milliseconds before reconnect attempt {@code attempt} (0, 1, ...): 100, 200, ... 2000; never
   * gives up.
   */
  static long delay(int attempt) {
    return Math.min(MAX_RECONNECT_DELAY_MS, 100L << Math.min(attempt, 5));
  }

  synchronized void close(@Observes ShutdownEvent event) {
    closed = true;
    if (subscriber != null) {
      subscriber.close();
    }
  }
}
