import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Scenarios 5 and 6, the event stream. 5: while restarts are requested and collected, the sink
 * answers 503, then is down, then comes back: every committed change reaches it, in order per
 * action, and a retried event keeps its ce-id. 6: the app is killed with SIGKILL while it relays a
 * backlog; after the restart every committed change reaches the sink.
 */
final class EventStream {
  static final String REQUESTED = "dev.deviceactions.action.requested";
  static final String DELIVERED = "dev.deviceactions.action.delivered";

  private final Settings settings;
  private final App app;
  private final Postgres db;
  private final Api api;
  private final Api.Tokens tokens;
  private final EventSink sink;
  private final List<Fleet.Device> pcs;

  EventStream(
      Settings settings,
      App app,
      Postgres db,
      Api api,
      Api.Tokens tokens,
      EventSink sink,
      List<Fleet.Device> pcs) {
    this.settings = settings;
    this.app = app;
    this.db = db;
    this.api = api;
    this.tokens = tokens;
    this.sink = sink;
    this.pcs = pcs;
  }

  Report sinkOutage() throws Exception {
    Report report = new Report("5. event sink answers 503, then is down, then back: nothing lost");
    String actor = "events-outage@reliability";
    String admin = tokens.token(actor, "admin");
    sink.clear();
    int phase = settings.full() ? 5 : 3;
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService load = Executors.newFixedThreadPool(4);
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      load.submit(() -> requestAndCollect(admin, offset, running, errors));
    }
    Thread.sleep(phase * 1000L);
    sink.answer(503);
    Thread.sleep(phase * 1000L);
    sink.down();
    Thread.sleep(phase * 1000L);
    sink.answer(200);
    sink.up();
    long back = System.nanoTime();
    Thread.sleep(phase * 1000L);
    running.set(false);
    load.shutdown();
    load.awaitTermination(30, TimeUnit.SECONDS);
    long stopped = System.nanoTime();
    report.expect(errors.isEmpty(), "load errors: %s", errors.stream().limit(3).toList());
    double drained = awaitDrained(report, stopped);
    double firstBack =
        sink.hits().stream()
            .filter(h -> h.accepted() && h.atNanos() > back)
            .mapToLong(EventSink.Hit::atNanos)
            .min()
            .stream()
            .mapToDouble(at -> (at - back) / 1e9)
            .findFirst()
            .orElse(-1);
    check(report, actor, true);
    long refused = sink.hits().stream().filter(h -> h.status() == 503).count();
    report.figure(
        "%d s each: sink 503, sink down, sink back; %d answers 503; first event accepted %.2f s"
            + " after the sink came back; outbox empty %.2f s after the load stopped",
        phase,
        refused,
        firstBack,
        drained);
    return report;
  }

  Report killWhileRelaying() throws Exception {
    Report report = new Report("6. kill -9 while the app relays a backlog; restart: nothing lost");
    String actor = "events-kill@reliability";
    String admin = tokens.token(actor, "admin");
    sink.clear();
    int rounds = settings.full() ? 10 : 4;
    sink.delay(100);
    for (int round = 0; round < rounds; round++) {
      Api.Answer bulk = api.postJson("/api/v1/device-actions/bulk", admin, bulkBody());
      report.expect(bulk.status() == 200, "bulk %d: %s", round, bulk);
    }
    Set<String> ids = actions(actor);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (taken(ids) < ids.size() / 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long atKill = taken(ids);
    app.kill9();
    long pending = db.count("select count(*) from event_outbox where state = 'pending'");
    report.expect(pending > 0, "the relay had finished before the kill");
    sink.delay(0);
    double ready = app.start();
    long restarted = System.nanoTime();
    double drained = awaitDrained(report, restarted);
    check(report, actor, false);
    long resent = resent(actor);
    report.figure(
        "%d actions in %d bulk requests; %d events taken before the kill, %d pending after it;"
            + " ready %.1f s after the restart, outbox drained %.1f s after ready; %d events"
            + " sent twice (in flight at the kill)",
        ids.size(),
        rounds,
        atKill,
        pending,
        ready,
        drained,
        resent);
    return report;
  }

  /** Restarts requested and collected (checked in) by one client, PC after PC. */
  private void requestAndCollect(
      String admin, int offset, AtomicBoolean running, List<String> errors) {
    for (int i = offset; running.get(); i += 4) {
      Fleet.Device pc = pcs.get(i % pcs.size());
      Api.Answer a = api.post("/api/v1/devices/" + pc.id() + "/rebootNow", admin);
      if (a.status() != 202) {
        errors.add("rebootNow: " + a);
      }
      Api.Answer c = api.post("/agent/v1/checkin", pc.token());
      if (c.status() != 200) {
        errors.add("checkin: " + c);
      }
      sleep(40);
    }
  }

  private String bulkBody() {
    return "{\"action\":\"rebootNow\",\"deviceIds\":["
        + pcs.stream().map(d -> "\"" + d.id() + "\"").collect(Collectors.joining(","))
        + "]}";
  }

  /**
   * Every action of the actor has its requested event accepted by the sink, and every action that
   * was delivered its delivered event, after it; a refused attempt was retried with its ce-id.
   */
  private void check(Report report, String actor, boolean strictOnce) throws Exception {
    Map<String, String> states = new HashMap<>();
    for (String row :
        db.query("select id, state from device_action where initiated_by = '" + actor + "'")) {
      String[] f = row.split("\\|");
      states.put(f[0], f[1]);
    }
    Map<String, List<EventSink.Hit>> bySubject =
        accepted(actor).stream().collect(Collectors.groupingBy(EventSink.Hit::subject));
    int missing = 0;
    int misordered = 0;
    for (var e : states.entrySet()) {
      List<String> types = distinctTypes(bySubject.getOrDefault(e.getKey(), List.of()));
      List<String> expected =
          e.getValue().equals("pending") ? List.of(REQUESTED) : List.of(REQUESTED, DELIVERED);
      if (!types.containsAll(expected)) {
        missing++;
      } else if (!types.subList(0, expected.size()).equals(expected)) {
        misordered++;
      }
    }
    report.expect(missing == 0, "%d of %d actions lack an event at the sink", missing, states.size());
    report.expect(misordered == 0, "%d actions' events arrived out of order", misordered);
    Set<String> acceptedIds =
        sink.hits().stream().filter(EventSink.Hit::accepted).map(EventSink.Hit::id).collect(Collectors.toSet());
    List<String> refusedIds =
        sink.hits().stream().filter(h -> !h.accepted()).map(EventSink.Hit::id).distinct().toList();
    long retriedLost = refusedIds.stream().filter(id -> !acceptedIds.contains(id)).count();
    report.expect(
        retriedLost == 0, "%d events answered 503 never came back with their ce-id", retriedLost);
    long failed = db.count("select count(*) from event_outbox where state = 'failed'");
    report.expect(failed == 0, "%d events kept as failed deliveries", failed);
    if (strictOnce) {
      report.expect(resent(actor) == 0, "%d events accepted twice", resent(actor));
    }
    report.figure(
        "%d actions, %d events accepted (%d ce-ids retried after a 503 and then accepted)",
        states.size(),
        accepted(actor).size(),
        refusedIds.size());
  }

  /** The actor's events the sink accepted; an action's subject is its id. */
  private List<EventSink.Hit> accepted(String actor) throws Exception {
    Set<String> ids = actions(actor);
    return sink.hits().stream().filter(h -> h.accepted() && ids.contains(h.subject())).toList();
  }

  private Set<String> actions(String actor) throws Exception {
    return new HashSet<>(
        db.query("select id from device_action where initiated_by = '" + actor + "'"));
  }

  private long taken(Set<String> ids) {
    return sink.hits().stream().filter(h -> h.accepted() && ids.contains(h.subject())).count();
  }

  private long resent(String actor) throws Exception {
    List<EventSink.Hit> hits = accepted(actor);
    return hits.size() - hits.stream().map(EventSink.Hit::id).distinct().count();
  }

  private static List<String> distinctTypes(List<EventSink.Hit> hits) {
    List<String> types = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (EventSink.Hit h : hits) {
      if (seen.add(h.id())) {
        types.add(h.type());
      }
    }
    return types;
  }

  /** Seconds from {@code since} until nothing is pending in the outbox (60 s at most). */
  private double awaitDrained(Report report, long since) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long pending;
    do {
      pending = db.count("select count(*) from event_outbox where state = 'pending'");
      if (pending == 0) {
        return (System.nanoTime() - since) / 1e9;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    report.expect(false, "%d events still pending 60 s later", pending);
    return -1;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
