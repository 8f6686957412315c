import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Scenario 2. Clients keep reading devices, requesting restarts and checking in while PostgreSQL is
 * stopped for some seconds and started again (or restarted at once with pg_ctl restart). While it
 * is down, readiness must be DOWN and every request must fail fast with a 503 problem+json and no
 * internals; once it is back, the same app process must be ready and serving within seconds.
 * Waiting check-ins held across the outage get what was committed meanwhile ({@link
 * HeldCheckins}).
 */
final class DatabaseRestart {
  static final long FAST_MILLIS = 2_000;
  static final double RECOVERY_SECONDS = 10;

  /** One answer, timed from the start of the outage run. */
  record Sample(String kind, long startMillis, Api.Answer answer) {
    long endMillis() {
      return startMillis + answer.millis();
    }

    @Override
    public String toString() {
      return kind + " sent at " + startMillis + " ms: " + answer;
    }
  }

  private final Settings settings;
  private final App app;
  private final Postgres db;
  private final Api api;
  private final String admin;
  private final List<Fleet.Device> devices;
  private final Report report =
      new Report("2. PostgreSQL stopped and started under load: fail fast, recover alone");

  DatabaseRestart(
      Settings settings,
      App app,
      Postgres db,
      Api api,
      Api.Tokens tokens,
      List<Fleet.Device> devices) {
    this.settings = settings;
    this.app = app;
    this.db = db;
    this.api = api;
    this.admin = tokens.token("outage@reliability", "admin");
    this.devices = devices;
  }

  Report run() throws Exception {
    List<Fleet.Device> waiting =
        Fleet.enroll(api, admin, Fleet.WINDOWS, "waiting", settings.scale().outageWaiters());
    HeldCheckins held = new HeldCheckins(api, waiting);
    try {
      for (int seconds : settings.scale().outageSeconds()) {
        outage(seconds, held);
      }
    } finally {
      held.close();
    }
    return report;
  }

  /** When the outage happened, in milliseconds from the start of its run. */
  record Timeline(String name, long stopBegin, long stopEnd, long startBegin, long back) {}

  private void outage(int downSeconds, HeldCheckins waiting) throws Exception {
    long pid = app.pid();
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(settings.scale().outageClients() + 1);
    Timeline timeline;
    try {
      for (int c = 0; c < settings.scale().outageClients(); c++) {
        int client = c;
        pool.submit(() -> load(client, t0, samples, done));
      }
      pool.submit(() -> health(t0, samples, done));
      List<HeldCheckins.Held> held = waiting.hold(t0);
      Thread.sleep(2_000);
      timeline = downAndUp(downSeconds, t0);
      Map<String, String> committed = waiting.commit(db);
      waitForRecovery(t0, samples, timeline.back());
      waiting.check(report, timeline.name(), held, committed, timeline.back(), t0);
      Thread.sleep(2_000);
    } finally {
      done.set(true);
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    report.expect(
        app.alive() && app.pid() == pid, "%s: the app process did not survive", timeline.name());
    check(timeline, new ArrayList<>(samples));
  }

  /** Stops PostgreSQL, waits, starts it; or, for 0 seconds, restarts it in one pg_ctl call. */
  private Timeline downAndUp(int downSeconds, long t0) throws Exception {
    long stopBegin = since(t0);
    if (downSeconds == 0) {
      db.restart();
      long back = since(t0);
      return new Timeline("pg_ctl restart -m fast", stopBegin, back, back, back);
    }
    db.stop();
    long stopEnd = since(t0);
    Thread.sleep(downSeconds * 1000L);
    long startBegin = since(t0);
    db.start();
    String name = "stop, " + downSeconds + " s down, start";
    return new Timeline(name, stopBegin, stopEnd, startBegin, since(t0));
  }

  private void check(Timeline t, List<Sample> all) {
    List<Sample> api = all.stream().filter(s -> !s.kind().equals("ready")).toList();
    List<Sample> ready = all.stream().filter(s -> s.kind().equals("ready")).toList();
    List<Sample> fromStop = after(api, t.stopBegin());
    expectAll(t, "before the outage, 2xx", between(api, 0, t.stopBegin()), s -> s.answer().is2xx());
    expectAll(
        t,
        "while PostgreSQL was down, 503 serviceUnavailable",
        between(api, t.stopEnd(), t.startBegin()),
        s -> s.answer().status() == 503 && "serviceUnavailable".equals(s.answer().field("code")));
    expectAll(
        t,
        "from the stop on, 2xx or a 503 problem+json without internals",
        fromStop,
        s ->
            s.answer().is2xx()
                || (s.answer().status() == 503
                    && s.answer().problem()
                    && !s.answer().leaksInternals()));
    expectAll(
        t,
        "sent from the stop on, answered within " + FAST_MILLIS + " ms",
        fromStop.stream().filter(s -> s.startMillis() >= t.stopBegin()).toList(),
        s -> s.answer().millis() <= FAST_MILLIS);
    expectAll(
        t,
        "readiness while PostgreSQL was down, 503",
        between(ready, t.stopEnd(), t.startBegin()),
        s -> s.answer().status() == 503);
    recovery(t, api, ready);
  }

  /** Ready and serving again within seconds of PostgreSQL being back, in the same process. */
  private void recovery(Timeline t, List<Sample> api, List<Sample> ready) {
    double readyAfter = firstAfter(ready, t.back(), s -> s.answer().status() == 200);
    double servingAfter = firstAfter(api, t.back(), s -> s.answer().is2xx());
    double stableAfter = lastFailureAfter(api, t.back());
    report.expect(
        readyAfter <= RECOVERY_SECONDS, "%s: ready again after %.1f s", t.name(), readyAfter);
    report.expect(
        stableAfter <= RECOVERY_SECONDS,
        "%s: requests failed until %.1f s after PostgreSQL was back",
        t.name(),
        stableAfter);
    List<Sample> down = between(api, t.stopEnd(), t.startBegin());
    List<Sample> outage =
        after(api, t.stopBegin()).stream()
            .filter(s -> s.startMillis() <= t.back() + 1000 * stableAfter)
            .toList();
    report.figure(
        "%s: %d requests by %d clients; while PostgreSQL was down: %s (%s), readiness %s;"
            + " from the stop until recovered: %s (%s)",
        t.name(),
        api.size(),
        settings.scale().outageClients(),
        statuses(down),
        Report.percentiles(down.stream().map(s -> s.answer().millis()).toList()),
        statuses(between(ready, t.stopEnd(), t.startBegin())),
        statuses(outage),
        Report.percentiles(outage.stream().map(s -> s.answer().millis()).toList()));
    report.figure(
        "%s: after PostgreSQL was back: ready in %.2f s, first 2xx in %.2f s, last failure at"
            + " %.2f s; same app process, no restart",
        t.name(), readyAfter, servingAfter, stableAfter);
  }

  private void expectAll(Timeline t, String what, List<Sample> samples, Predicate<Sample> ok) {
    List<Sample> bad = samples.stream().filter(ok.negate()).toList();
    report.expect(
        bad.isEmpty(),
        "%s: %d of %d answers not as expected (%s), e.g. %s",
        t.name(),
        bad.size(),
        samples.size(),
        what,
        bad.isEmpty() ? "" : bad.getFirst());
  }

  /** A closed loop of the three kinds of request, with a short pause between them. */
  private void load(
      int client, long t0, ConcurrentLinkedQueue<Sample> samples, AtomicBoolean done) {
    for (int i = client; !done.get(); i++) {
      Fleet.Device device = devices.get(i % devices.size());
      long start = since(t0);
      Sample s =
          switch (i % 3) {
            case 0 -> new Sample("read", start, api.get("/api/v1/devices/" + device.id(), admin));
            case 1 ->
                new Sample(
                    "rebootNow",
                    start,
                    api.post("/api/v1/devices/" + device.id() + "/rebootNow", admin));
            default -> new Sample("checkin", start, api.post("/agent/v1/checkin", device.token()));
          };
      samples.add(s);
      pause(20);
    }
  }

  private void health(long t0, ConcurrentLinkedQueue<Sample> samples, AtomicBoolean done) {
    while (!done.get()) {
      long start = since(t0);
      samples.add(new Sample("ready", start, api.get("/q/health/ready", null)));
      pause(100);
    }
  }

  /** Waits until readiness said UP after PostgreSQL was back, or the recovery limit passed. */
  private void waitForRecovery(long t0, ConcurrentLinkedQueue<Sample> samples, long back)
      throws InterruptedException {
    long deadline = back + (long) (RECOVERY_SECONDS * 1000) + 5_000;
    while (since(t0) < deadline
        && samples.stream()
            .noneMatch(
                s ->
                    s.kind().equals("ready")
                        && s.startMillis() > back
                        && s.answer().status() == 200)) {
      Thread.sleep(50);
    }
  }

  static List<Sample> between(List<Sample> samples, long from, long to) {
    return samples.stream().filter(s -> s.startMillis() >= from && s.endMillis() <= to).toList();
  }

  static List<Sample> after(List<Sample> samples, long from) {
    return samples.stream().filter(s -> s.endMillis() >= from).toList();
  }

  static double firstAfter(List<Sample> samples, long back, Predicate<Sample> ok) {
    OptionalLong first =
        samples.stream()
            .filter(s -> s.startMillis() >= back)
            .filter(ok)
            .mapToLong(Sample::endMillis)
            .min();
    return secondsAfter(back, first, Double.POSITIVE_INFINITY);
  }

  /** Seconds after PostgreSQL was back at which the last non-2xx answer ended (0 if none). */
  static double lastFailureAfter(List<Sample> samples, long back) {
    OptionalLong last =
        samples.stream()
            .filter(s -> s.endMillis() >= back && !s.answer().is2xx())
            .mapToLong(Sample::endMillis)
            .max();
    return secondsAfter(back, last, 0);
  }

  static double secondsAfter(long back, OptionalLong millis, double none) {
    return millis.isPresent() ? (millis.getAsLong() - back) / 1000.0 : none;
  }

  static String statuses(List<Sample> samples) {
    Map<String, Integer> counts = new TreeMap<>();
    samples.forEach(
        s ->
            counts.merge(
                s.answer().lost() ? "lost" : Integer.toString(s.answer().status()),
                1,
                Integer::sum));
    return counts.isEmpty() ? "none" : counts.toString();
  }

  static long since(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
