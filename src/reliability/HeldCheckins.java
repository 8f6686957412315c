import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 2, waiting check-ins: devices hold a check-in (Prefer: wait=50) from before PostgreSQL
 * stops; right after it is back, and before the app's notifications connection has reconnected,
 * one command per device is committed straight into the table (no wake-up is sent for it at all).
 * Each held check-in must still answer with its own command, exactly once, within seconds: the app
 * catches up at once when its connection is back, and once a second anyway.
 */
final class HeldCheckins {
  static final int WAIT_SECONDS = 50;
  static final double DELIVERY_SECONDS = 10;

  /** One held check-in: when it was sent (ms from the run's start) and its answer to come. */
  record Held(Fleet.Device device, long sentMillis, CompletableFuture<Api.Answer> answer) {}

  private final Api api;
  private final List<Fleet.Device> devices;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  HeldCheckins(Api api, List<Fleet.Device> devices) {
    this.api = api;
    this.devices = devices;
  }

  List<Held> hold(long t0) throws InterruptedException {
    List<Held> held = new ArrayList<>();
    for (Fleet.Device d : devices) {
      long sent = DatabaseRestart.since(t0);
      held.add(
          new Held(
              d,
              sent,
              CompletableFuture.supplyAsync(() -> api.waitingCheckin(d.token(), WAIT_SECONDS), pool)));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (api.waitingCheckins() < devices.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return held;
  }

  /** One pending restart per device, committed by another writer; device id to action id. */
  Map<String, String> commit(Postgres db) throws Exception {
    StringBuilder sql = new StringBuilder();
    for (Fleet.Device d : devices) {
      sql.append(
          "insert into device_action (id, device_id, action, state, initiated_by, requested_at,"
              + " last_updated_at) values (gen_random_uuid(), '"
              + d.id()
              + "', 'rebootNow', 'pending', 'outage@reliability', now(), now())"
              + " returning device_id || '|' || id;\n");
    }
    Map<String, String> committed = new HashMap<>();
    for (String row : db.query(sql.toString())) {
      String[] parts = row.split("\\|");
      committed.put(parts[0], parts[1]);
    }
    return committed;
  }

  void check(
      Report report, String name, List<Held> held, Map<String, String> committed, long back, long t0)
      throws Exception {
    List<String> delivered = new ArrayList<>();
    List<Long> afterBack = new ArrayList<>();
    int wrong = 0;
    for (Held h : held) {
      Api.Answer a = h.answer().get(WAIT_SECONDS + 20, TimeUnit.SECONDS);
      long answeredAt = h.sentMillis() + a.millis();
      List<String> ids = actionIds(a.body());
      delivered.addAll(ids);
      if (a.status() != 200 || !ids.equals(List.of(committed.get(h.device().id())))) {
        wrong++;
        if (wrong == 1) {
          report.expect(false, "%s: a held check-in answered %s", name, a);
        }
      } else {
        afterBack.add(answeredAt - back);
      }
    }
    Set<String> unique = new HashSet<>(delivered);
    report.expect(
        wrong == 0, "%s: %d of %d held check-ins did not get their command", name, wrong, held.size());
    report.expect(
        unique.size() == delivered.size() && unique.equals(new HashSet<>(committed.values())),
        "%s: commands delivered %s, committed %s",
        name,
        delivered,
        committed.values());
    long late = afterBack.stream().filter(ms -> ms > DELIVERY_SECONDS * 1000).count();
    report.expect(
        late == 0,
        "%s: %d held check-ins answered more than %.0f s after PostgreSQL was back",
        name,
        late,
        DELIVERY_SECONDS);
    report.figure(
        "%s: %d check-ins held from before the stop (Prefer: wait=%d), each answered with the"
            + " command committed when PostgreSQL was back, once, %s after it was back",
        name,
        held.size(),
        WAIT_SECONDS,
        Report.percentiles(afterBack));
  }

  void close() {
    pool.shutdownNow();
  }

  private static List<String> actionIds(String body) {
    List<String> ids = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"actionId\":\"([^\"]+)\"").matcher(body);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }
}
