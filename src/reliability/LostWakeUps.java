import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 8, lost wake-ups (issue 27): devices hold waiting check-ins on the app while actions for
 * them are requested on a second replica on the same database, which is killed with SIGKILL right
 * after its last 202. Each device must get its own command, once, within
 * device-actions.agent.catch-up (2 s, the default) of its 202, however the wake-up travelled: the
 * second replica's notification if it went out before the kill, else the app's catch-up query. The
 * second round takes the notifications away for sure: that replica connects as a role that may not
 * call pg_notify, so each of its batches fails and only the catch-up can wake the waiters.
 */
final class LostWakeUps {
  static final int WAIT_SECONDS = 50;
  static final long CATCH_UP_MILLIS = 2_000;
  static final String ROLE = "replica_without_notify";

  /** One waiting check-in: its answer, and when it came (System.nanoTime). */
  record Held(Api.Answer answer, long at) {}

  /** One request on the second replica: its answer, and when it came. */
  record Requested(Api.Answer answer, long at) {}

  private final Settings settings;
  private final Postgres db;
  private final Api api;
  private final Api.Tokens tokens;
  private final EventSink sink;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  LostWakeUps(Settings settings, Postgres db, Api api, Api.Tokens tokens, EventSink sink) {
    this.settings = settings;
    this.db = db;
    this.api = api;
    this.tokens = tokens;
    this.sink = sink;
  }

  Report afterKill() throws Exception {
    return round(
        "8a. kill -9 of the requesting replica right after its 202s", "killed", Map.of());
  }

  Report withoutNotifications() throws Exception {
    db.query(
        """
        do $$ begin
          if not exists (select 1 from pg_roles where rolname = '%1$s') then
            create role %1$s login password 'postgres';
          end if;
        end $$;
        grant all on all tables in schema public to %1$s;
        grant all on all sequences in schema public to %1$s;
        revoke execute on function pg_notify(text, text) from public;
        """
            .formatted(ROLE));
    try {
      return round(
          "8b. the same, the requesting replica's notifications refused by PostgreSQL",
          "mute",
          Map.of("QUARKUS_DATASOURCE_USERNAME", ROLE));
    } finally {
      db.query("grant execute on function pg_notify(text, text) to public;");
    }
  }

  private Report round(String name, String label, Map<String, String> env) throws Exception {
    Report report = new Report(name);
    String admin = tokens.token("lost-wake-ups@reliability", "admin");
    List<Fleet.Device> devices =
        Fleet.enroll(api, admin, Fleet.WINDOWS, label, settings.scale().lostWakeUpDevices());
    int port = settings.appPort() + 1;
    App replica = new App(settings, sink.url(), port, "replica-" + label, env);
    try {
      double ready = replica.start();
      Map<String, Double> before = wakeUps();
      Map<String, CompletableFuture<Held>> held = hold(devices, report);
      Map<String, Requested> requested = request(new Api(port, Duration.ofSeconds(10)), admin, devices);
      replica.kill9();
      check(report, devices, held, requested);
      Map<String, Double> after = wakeUps();
      double byNotification = after.get("notification") - before.get("notification");
      double byCatchUp = after.get("catch-up") - before.get("catch-up");
      if (!env.isEmpty()) {
        report.expect(
            byNotification == 0,
            "%.0f waiters woken by a notification, though the replica could send none",
            byNotification);
      }
      report.figure(
          "second replica ready in %.1f s, killed with SIGKILL after its last 202; waiters woken"
              + " on the app by a notification: %.0f, by the catch-up query: %.0f",
          ready,
          byNotification,
          byCatchUp);
    } finally {
      replica.stop();
    }
    return report;
  }

  /** Every device holds a waiting check-in on the app; returns once the app holds them all. */
  private Map<String, CompletableFuture<Held>> hold(List<Fleet.Device> devices, Report report)
      throws Exception {
    Map<String, CompletableFuture<Held>> held = new HashMap<>();
    for (Fleet.Device d : devices) {
      held.put(
          d.id(),
          CompletableFuture.supplyAsync(
              () -> new Held(api.waitingCheckin(d.token(), WAIT_SECONDS), System.nanoTime()),
              pool));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (api.waitingCheckins() < devices.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    report.expect(
        api.waitingCheckins() >= devices.size(), "only %.0f of %d check-ins waiting", api.waitingCheckins(), devices.size());
    return held;
  }

  /** One restart per device, requested on the second replica by 8 clients at once. */
  private Map<String, Requested> request(Api replica, String admin, List<Fleet.Device> devices)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      Map<String, CompletableFuture<Requested>> sent = new HashMap<>();
      for (Fleet.Device d : devices) {
        sent.put(
            d.id(),
            CompletableFuture.supplyAsync(
                () ->
                    new Requested(
                        replica.post("/api/v1/devices/" + d.id() + "/rebootNow", admin),
                        System.nanoTime()),
                clients));
      }
      Map<String, Requested> answered = new HashMap<>();
      for (var e : sent.entrySet()) {
        answered.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
      }
      return answered;
    } finally {
      clients.shutdown();
    }
  }

  private void check(
      Report report,
      List<Fleet.Device> devices,
      Map<String, CompletableFuture<Held>> held,
      Map<String, Requested> requested)
      throws Exception {
    List<Long> delays = new ArrayList<>();
    List<String> actions = new ArrayList<>();
    int refused = 0;
    int wrong = 0;
    for (Fleet.Device d : devices) {
      Requested r = requested.get(d.id());
      Held h = held.get(d.id()).get(WAIT_SECONDS + 30, TimeUnit.SECONDS);
      if (r.answer().status() != 202) {
        if (++refused == 1) {
          report.expect(false, "a request on the second replica answered %s", r.answer());
        }
        continue;
      }
      String action = r.answer().field("id");
      actions.add(action);
      String body = h.answer().body();
      if (h.answer().status() != 200
          || !body.contains("\"actionId\":\"" + action + "\"")
          || body.indexOf("\"actionId\"") != body.lastIndexOf("\"actionId\"")) {
        if (++wrong == 1) {
          report.expect(false, "a waiting check-in answered %s, not action %s", h.answer(), action);
        }
        continue;
      }
      delays.add(Math.max(0, (h.at() - r.at()) / 1_000_000));
    }
    report.expect(refused == 0, "%d of %d requests not answered 202", refused, devices.size());
    report.expect(wrong == 0, "%d of %d waiting check-ins without their command", wrong, devices.size());
    long late = delays.stream().filter(ms -> ms > CATCH_UP_MILLIS).count();
    report.expect(
        late == 0, "%d commands reached their device later than %d ms after the 202", late, CATCH_UP_MILLIS);
    long active =
        actions.isEmpty()
            ? 0
            : db.count(
                "select count(*) from device_action where state = 'active' and id in ('"
                    + String.join("','", actions)
                    + "')");
    report.expect(
        active == actions.size(), "%d of %d actions delivered (active)", active, actions.size());
    report.figure(
        "%d devices waiting on the app, %d restarts accepted by the second replica; each command"
            + " reached its device, once, %s after its 202 (bound: %d ms)",
        devices.size(),
        actions.size(),
        Report.percentiles(delays),
        CATCH_UP_MILLIS);
  }

  /** The app's waiters woken so far, by what: commit, notification, catch-up. */
  private Map<String, Double> wakeUps() {
    Map<String, Double> counts =
        new HashMap<>(Map.of("commit", 0.0, "notification", 0.0, "catch-up", 0.0));
    api.get("/q/metrics", null)
        .body()
        .lines()
        .filter(l -> l.startsWith("device_actions_wakeups_total{"))
        .forEach(
            l -> {
              String by = l.replaceAll(".*by=\"([^\"]+)\".*", "$1");
              counts.put(by, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
            });
    return counts;
  }
}
