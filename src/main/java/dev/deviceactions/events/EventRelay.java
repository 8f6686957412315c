package dev.deviceactions.events;

import dev.deviceactions.action.CommandsRequested;
import dev.deviceactions.common.Committed;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Telemetry;
import io.cloudevents.CloudEvent;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers the outbox: woken in process right after every commit of this instance that may have
 * written events ({@link Committed}, {@link CommandsRequested}), and by a timer when a retry falls
 * due, it leases a batch of subjects' oldest events, sends each to every sink that has not taken it
 * yet, and settles the batch in one statement (its own writes commit without waiting for the WAL
 * flush: {@link OutboxRepository#COMMIT_WITHOUT_FLUSH}). Other replicas' events are theirs to
 * relay; what a replica left behind (it died right after its commit) any relay finds on its own,
 * reading the outbox twice per {@code device-actions.events.catch-up}. One run at a time per
 * instance; any number of instances share the outbox through the lease.
 *
 * <p>With no sink configured it never runs: nobody waits for those events, and a timer deletes them
 * in bulk instead ({@link #discard}), a few statements a second whatever the rate. Deleting each
 * commit's few events right after it cost PostgreSQL a third of its time at 64 connections (README,
 * "The outbox without a sink").
 */
@ApplicationScoped
public class EventRelay {
  /** How often failed deliveries past their retention, and relays silent for a day, are deleted. */
  static final Duration PURGE_EVERY = Duration.ofSeconds(30);

  private static final Duration AFTER_FAILURE = Duration.ofSeconds(2);

  /**
   * Rounds start at least this far apart unless the last one took a full batch: under load each
   * round then takes many commits' events (one statement and one commit for them all) instead of
   * following every commit with a round of its own.
   */
  static final long MIN_GAP_MS = 10;

  /**
   * A replica that relays says so every tick; one silent for this many ticks (it stopped, or died)
   * no longer keeps the replicas without a sink from emptying the outbox.
   */
  static final int RELAY_SILENT_TICKS = 3;

  private final OutboxRepository outbox;
  private final EventRenderer renderer;
  private final EventSender sender;
  private final Backoff backoff;
  private final List<URI> sinks;
  private final DeviceActionsConfig.Events config;
  private final Vertx vertx;
  private final Telemetry telemetry;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean again;
  private volatile boolean stopped = true;
  private volatile long pausedUntil;
  private volatile long timer = -1;
  private volatile long lastRound;

  /** This replica, as it names itself in event_relay. */
  private final String instance = UUID.randomUUID().toString();

  public EventRelay(
      OutboxRepository outbox,
      EventRenderer renderer,
      EventSender sender,
      Backoff backoff,
      EventSinks sinks,
      DeviceActionsConfig config,
      Vertx vertx,
      Telemetry telemetry) {
    this.outbox = outbox;
    this.renderer = renderer;
    this.sender = sender;
    this.backoff = backoff;
    this.sinks = sinks.all();
    this.config = config.events();
    this.vertx = vertx;
    this.telemetry = telemetry;
  }

  /**
   * Serving instances relay, from right after their HTTP server started (never on the start path);
   * the one-shot commands, which serve no HTTP, leave their events to them.
   */
  void start(@ObservesAsync HttpServerStart event) {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    stopped = false;
    vertx.setPeriodic(PURGE_EVERY.toMillis(), id -> purge());
    if (sinks.isEmpty()) {
      Log.info("No event sink: the outbox is emptied by a timer while no replica relays");
      vertx.setPeriodic(tickMillis(), id -> discard());
      return;
    }
    Log.infof("Event relay to %d sink(s)", sinks.size());
    tick();
    vertx.setPeriodic(tickMillis(), id -> tick());
  }

  /** Each tick a relaying replica says so, and reads the outbox past its last position. */
  private void tick() {
    relaying();
    wake();
  }

  /** The relay's timer: half of {@code device-actions.events.catch-up}. */
  private long tickMillis() {
    return Math.max(1, config.catchUp().toMillis() / 2);
  }

  /** Tells the replicas without a sink that this one relays (every tick). */
  private void relaying() {
    if (stopped) {
      return;
    }
    outbox
        .relaying(instance)
        .subscribe()
        .with(
            done -> {},
            failure ->
                Log.debugf("Could not say that this replica relays: %s", failure.getMessage()));
  }

  /** A commit of this instance may have written events. */
  void committed(@Observes Committed event) {
    wake();
  }

  /** Newly accepted actions committed: their requested events. */
  void requested(@Observes CommandsRequested event) {
    wake();
  }

  void stop(@Observes ShutdownEvent event) {
    stopped = true;
    // Let a batch on the wire settle, so that a clean shutdown resends nothing.
    long deadline = System.nanoTime() + leaseMillis() * 1_000_000L;
    try {
      while (running.get() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The replicas without a sink need not wait three ticks for this one.
    if (started.get() && !sinks.isEmpty()) {
      try {
        outbox.stoppedRelaying(instance).await().atMost(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        Log.debugf("Could not say that this replica stopped relaying: %s", e.getMessage());
      }
    }
  }

  /** Housekeeping: failed deliveries past their retention, and relays silent for a day. */
  private void purge() {
    outbox
        .purgeFailed(config.failedRetention().toMillis())
        .subscribe()
        .with(
            purged -> {
              if (purged > 0) {
                Log.infof("Deleted %d failed event deliveries past their retention", purged);
              }
            },
            failure -> Log.debugf("Failed deliveries not purged: %s", failure.getMessage()));
    outbox
        .forgetSilentRelays()
        .subscribe()
        .with(
            forgotten -> {},
            failure -> Log.debugf("Silent relays not forgotten: %s", failure.getMessage()));
  }

  /**
   * Deletes the pending events, a batch at a time until none is left, when no sink would take them:
   * none of this replica's, and none of another replica's (none said it relays within {@link
   * #RELAY_SILENT_TICKS} ticks). One run at a time, as the relay's.
   */
  private void discard() {
    if (stopped || !running.compareAndSet(false, true)) {
      return;
    }
    int batch = config.batchSize();
    Uni.createFrom()
        .deferred(() -> outbox.discard(batch, RELAY_SILENT_TICKS * tickMillis()))
        .repeat()
        .whilst(deleted -> deleted >= batch && !stopped)
        .collect()
        .last()
        .subscribe()
        .with(
            deleted -> running.set(false),
            failure -> {
              running.set(false);
              Log.debugf("Outbox not emptied: %s", failure.getMessage());
            });
  }

  /**
   * Runs the relay soon: at once, or {@link #MIN_GAP_MS} after its last round began, or after the
   * run in progress. With no sink there is nothing to deliver.
   */
  public void wake() {
    if (stopped || sinks.isEmpty() || System.currentTimeMillis() < pausedUntil) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      again = true;
      return;
    }
    again = false;
    drainAfterGap();
  }

  private void drainAfterGap() {
    long wait = lastRound + MIN_GAP_MS - System.currentTimeMillis();
    if (wait > 0) {
      vertx.setTimer(wait, id -> drain());
    } else {
      drain();
    }
  }

  private void drain() {
    lastRound = System.currentTimeMillis();
    round()
        .subscribe()
        .with(
            count -> {
              if (count >= config.batchSize()) {
                drain(); // a backlog: the next batch at once
              } else if (count > 0 || again) {
                // settling a subject's head made its next event the head, for the next round
                again = false;
                drainAfterGap();
              } else {
                running.set(false);
                if (again) {
                  wake(); // a commit's notification came in while this run was ending
                } else {
                  scheduleNextDue();
                }
              }
            },
            failure -> {
              running.set(false);
              Log.warnf("Event relay paused %s: %s", AFTER_FAILURE, failure.getMessage());
              wakeIn(AFTER_FAILURE.toMillis());
            });
  }

  /** One batch: how many events it took from the outbox. */
  private Uni<Integer> round() {
    if (stopped) {
      return Uni.createFrom().item(0);
    }
    return outbox
        .claim(config.batchSize(), leaseMillis())
        .chain(
            events ->
                events.isEmpty()
                    ? Uni.createFrom().item(0)
                    : Multi.createFrom()
                        .iterable(events)
                        .onItem()
                        .transformToUni(this::deliver)
                        .merge(config.connections())
                        .collect()
                        .asList()
                        .call(outbox::settle)
                        .invoke(this::pauseWhenAllFailed)
                        .invoke(this::count)
                        .map(List::size));
  }

  private Uni<Settlement> deliver(OutboxEvent e) {
    CloudEvent event;
    try {
      event = renderer.render(e);
    } catch (Exception failure) {
      return Uni.createFrom().item(backoff.failed(e, "not renderable: " + failure.getMessage()));
    }
    List<URI> open = sinks.stream().filter(s -> !e.deliveredTo().contains(s.toString())).toList();
    return Multi.createFrom()
        .iterable(open)
        .onItem()
        .transformToUniAndMerge(sink -> sender.send(sink, event))
        .collect()
        .asList()
        .map(attempts -> backoff.settle(e, attempts));
  }

  /**
   * While every sink fails, commits would wake the relay for nothing: it sleeps until the first
   * retry is due instead of scanning the outbox at every commit.
   */
  private void pauseWhenAllFailed(List<Settlement> settled) {
    boolean none = settled.stream().noneMatch(s -> s.outcome() == Settlement.Outcome.delivered);
    if (none) {
      long soonest = settled.stream().mapToLong(Settlement::delayMillis).min().orElse(0);
      pausedUntil = System.currentTimeMillis() + soonest;
    }
  }

  private void count(List<Settlement> settled) {
    settled.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                Settlement::outcome, java.util.stream.Collectors.counting()))
        .forEach((outcome, n) -> telemetry.eventsSettled(outcome.name(), n));
  }

  private void scheduleNextDue() {
    outbox
        .millisUntilNextDue()
        .subscribe()
        .with(
            due -> {
              if (due != null) {
                wakeIn(Math.max(due, 10));
              }
            },
            failure -> wakeIn(AFTER_FAILURE.toMillis()));
  }

  /** Wakes the relay when the next retry falls due, on time (the catch-up looks only so often). */
  private void wakeIn(long millis) {
    if (stopped) {
      return;
    }
    long previous = timer;
    if (previous >= 0) {
      vertx.cancelTimer(previous);
    }
    timer =
        vertx.setTimer(
            Math.max(millis, 1),
            id -> {
              timer = -1;
              pausedUntil = 0;
              wake();
            });
  }

  /** Longer than any attempt can take, so that a live relay never loses its lease. */
  private long leaseMillis() {
    return 2 * (config.connectTimeout().toMillis() + config.requestTimeout().toMillis()) + 1000;
  }
}
