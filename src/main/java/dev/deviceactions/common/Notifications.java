package dev.deviceactions.common;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgNotification;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * PostgreSQL's LISTEN/NOTIFY between replicas, outside every data transaction. A transaction that
 * notifies takes a database-wide lock at its commit and holds it until the commit is durable, so
 * the app sends no NOTIFY from a data transaction: features ask this class to tell the other
 * replicas, right after their commit, and it sends in batches on one connection of its own (never
 * the pool's, never in a data transaction): whatever is asked while a batch is on the wire goes in
 * the next, one autocommit statement of many {@code pg_notify} calls, at most every {@link
 * #MIN_GAP_MS} ms, committed without waiting for the WAL flush ({@code synchronous_commit} off: a
 * notification is not durable anyway). The same connection LISTENs on the channels features name.
 * It opens with the first {@link #listen} (after the HTTP server started: never on the start path),
 * reconnects with a backoff of 100 ms to 2 s for ever, and tells each listener after every
 * (re)connect that notifications may have been missed. Best effort throughout: what cannot be sent
 * is dropped, and every feature catches up on its own.
 */
@ApplicationScoped
public class Notifications {
  /** A payload's items (ASCII), comma-separated, stay below PostgreSQL's limit of 8,000 bytes. */
  static final int MAX_PAYLOAD = 7_900;

  /** Under load, batches go out this far apart, so that each carries many commits' items. */
  static final long MIN_GAP_MS = 5;

  private static final long MAX_RECONNECT_DELAY_MS = 2000;

  /** $1: the channels, $2: the payloads, pairwise: one transaction, one commit, for all. */
  static final String SEND =
      """
      select count(pg_notify(n.channel, n.payload))
      from unnest($1::text[], $2::text[]) as n (channel, payload)
      """;

  /** What one channel's listener is told: a payload, or that notifications may have been lost. */
  private record Listener(Consumer<String> payload, Runnable missed) {}

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final Map<String, Listener> listeners = new LinkedHashMap<>();
  private final Map<String, Set<String>> outgoing = new LinkedHashMap<>();
  private Context context;
  private PgConnection connection;
  private boolean ready;
  private boolean flushing;
  private long lastSent;
  private int attempt;
  private boolean closed;

  public Notifications(
      Vertx vertx,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.vertx = vertx;
    this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    options.addProperty("application_name", "device-actions notifications");
    // Prepared once per connection: without the cache, PostgreSQL plans every batch anew.
    options.setCachePreparedStatements(true);
  }

  /**
   * Listens on {@code channel} from now on, connecting first if this is the first listener. {@code
   * payload} gets what other sessions send on it; {@code missed} runs after every (re)connect.
   */
  public void listen(String channel, Consumer<String> payload, Runnable missed) {
    PgConnection open;
    synchronized (this) {
      if (closed) {
        return;
      }
      listeners.put(channel, new Listener(payload, missed));
      open = connection;
      if (context == null) {
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> connect());
        return;
      }
    }
    if (open != null) {
      open.query("listen " + channel).execute().onSuccess(v -> missed.run());
    }
  }

  /**
   * Sends {@code items} on {@code channel} to the other sessions that listen, in the next batch,
   * comma-separated in payloads of at most {@link #MAX_PAYLOAD} bytes; each item once a batch.
   * Dropped while not connected: receivers catch up on their own.
   */
  public void send(String channel, Collection<String> items) {
    synchronized (this) {
      if (!ready || closed) {
        return;
      }
      outgoing.computeIfAbsent(channel, c -> new LinkedHashSet<>()).addAll(items);
      flushSoon();
    }
  }

  private void connect() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    PgConnection.connect(vertx, options)
        .onSuccess(this::connected)
        .onFailure(
            failure -> {
              Log.warnf("Cannot listen for notifications yet: %s", failure.getMessage());
              reconnectLater();
            });
  }

  private void connected(PgConnection c) {
    c.notificationHandler(n -> received(c, n));
    c.closeHandler(v -> closed(c));
    List<String> channels;
    synchronized (this) {
      connection = c;
      channels = List.copyOf(listeners.keySet());
    }
    // A batch carries no data: its commit need not wait for the WAL flush (nor hold the
    // notification lock through one), and under low load that flush would double the fsyncs.
    String setUp =
        Stream.concat(
                Stream.of("set synchronous_commit to off"),
                channels.stream().map(ch -> "listen " + ch))
            .collect(Collectors.joining("; "));
    c.query(setUp)
        .execute()
        .onSuccess(
            v -> {
              List<Listener> told;
              synchronized (this) {
                if (closed || connection != c) {
                  c.close();
                  return;
                }
                ready = true;
                attempt = 0;
                told = List.copyOf(listeners.values());
              }
              Log.infof("Listening on %s", channels);
              told.forEach(l -> l.missed().run());
            })
        .onFailure(failure -> c.close());
  }

  private void received(PgConnection c, PgNotification n) {
    if (n.getProcessId() == c.processId()) {
      return; // this instance's own batch: it woke its own waiters in process already
    }
    Listener listener;
    synchronized (this) {
      listener = listeners.get(n.getChannel());
    }
    if (listener != null) {
      listener.payload().accept(n.getPayload());
    }
  }

  private void closed(PgConnection c) {
    synchronized (this) {
      if (connection != c) {
        return;
      }
      connection = null;
      ready = false;
      outgoing.clear();
      if (closed) {
        return;
      }
    }
    Log.warnf("No longer listening for notifications; reconnecting");
    reconnectLater();
  }

  private void reconnectLater() {
    long delay;
    synchronized (this) {
      if (closed) {
        return;
      }
      delay = delay(attempt++);
    }
    vertx.setTimer(delay, id -> context.runOnContext(v -> connect()));
  }

  /**
   * Milliseconds before reconnect attempt {@code attempt} (0, 1, ...): 100, 200, ... 2000; never
   * gives up.
   */
  static long delay(int attempt) {
    return Math.min(MAX_RECONNECT_DELAY_MS, 100L << Math.min(attempt, 5));
  }

  /** Schedules the next batch, unless one is scheduled or on the wire; called holding the lock. */
  private void flushSoon() {
    if (flushing || outgoing.isEmpty()) {
      return;
    }
    flushing = true;
    long wait = lastSent + MIN_GAP_MS - System.currentTimeMillis();
    if (wait <= 0) {
      context.runOnContext(v -> flush());
    } else {
      vertx.setTimer(wait, id -> context.runOnContext(v -> flush()));
    }
  }

  private void flush() {
    PgConnection c;
    List<String> channels = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    synchronized (this) {
      c = connection;
      if (!ready) {
        flushing = false;
        return;
      }
      outgoing.forEach((channel, items) -> payloads(channel, items, channels, payloads));
      outgoing.clear();
      lastSent = System.currentTimeMillis();
    }
    c.preparedQuery(SEND)
        .execute(
            Tuple.tuple()
                .addArrayOfString(channels.toArray(String[]::new))
                .addArrayOfString(payloads.toArray(String[]::new)))
        .onComplete(
            done -> {
              if (done.failed()) {
                Log.debugf("%d notifications not sent: %s", payloads.size(), done.cause());
              }
              synchronized (this) {
                flushing = false;
                flushSoon();
              }
            });
  }

  /** The items of one channel as payloads, each as long as the limit allows. */
  static void payloads(
      String channel, Collection<String> items, List<String> channels, List<String> payloads) {
    StringBuilder payload = new StringBuilder();
    for (String item : items) {
      if (!payload.isEmpty() && payload.length() + 1 + item.length() > MAX_PAYLOAD) {
        channels.add(channel);
        payloads.add(payload.toString());
        payload.setLength(0);
      }
      if (!payload.isEmpty()) {
        payload.append(',');
      }
      payload.append(item);
    }
    channels.add(channel);
    payloads.add(payload.toString());
  }

  void close(@Observes ShutdownEvent event) {
    PgConnection open;
    synchronized (this) {
      closed = true;
      open = connection;
      connection = null;
      ready = false;
    }
    if (open != null) {
      open.close();
    }
  }
}
