import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 */
final class DatabaseRestart {
  static final long FAST_MILLIS = 2_000;
  static final double RECOVERY_SECONDS = 10;

  /** One answer, timed from the start of the outage run. */
  record Sample(String kind, long startMillis, Api.Answer answer) {
    long endMillis() {
      return startMillis + answer.millis();
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
    for (int seconds : settings.scale().outageSeconds()) {
      outage(seconds);
    }
    return report;
  }

  private void outage(int downSeconds) throws Exception {
    String name =
        downSeconds > 0 ? "stop, " + downSeconds + " s down, start" : "pg_ctl restart -m fast";
    long pid = app.pid();
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(settings.scale().outageClients() + 1);
    for (int c = 0; c < settings.scale().outageClients(); c++) {
      int client = c;
      pool.submit(() -> load(client, t0, samples, done));
    }
    pool.submit(() -> health(t0, samples, done));

    Thread.sleep(2_000);
    long stopBegin = since(t0);
    long stopEnd;
    long startBegin;
    if (downSeconds > 0) {
      db.stop();
      stopEnd = since(t0);
      Thread.sleep(downSeconds * 1000L);
      startBegin = since(t0);
      db.start();
    } else {
      db.restart();
      stopEnd = startBegin = since(t0);
    }
    long back = since(t0);
    waitForRecovery(t0, samples, back);
    Thread.sleep(2_000);
    done.set(true);
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);

    report.expect(app.alive() && app.pid() == pid, "%s: the app process did not survive", name);
    check(name, new ArrayList<>(samples), stopBegin, stopEnd, startBegin, back);
  }

  private void check(
      String name, List<Sample> all, long stopBegin, long stopEnd, long startBegin, long back) {
    List<Sample> api = all.stream().filter(s -> !s.kind().equals("ready")).toList();
    List<Sample> ready = all.stream().filter(s -> s.kind().equals("ready")).toList();
    List<Sample> before = between(api, 0, stopBegin);
    List<Sample> down = between(api, stopEnd, startBegin);
    List<Sample> readyDown = between(ready, stopEnd, startBegin);
    report.expect(
        !before.isEmpty() && before.stream().allMatch(s -> s.answer().is2xx()),
        "%s: not every answer before the outage was 2xx",
        name);
    List<Sample> fromStop = after(api, stopBegin);
    expectAll(
        name,
        "in the outage window were 503 serviceUnavailable",
        down,
        s -> s.answer().status() == 503 && "serviceUnavailable".equals(s.answer().field("code")));
    expectAll(
        name,
        "from the stop on were 2xx or 503",
        fromStop,
        s -> s.answer().is2xx() || s.answer().status() == 503);
    expectAll(
        name,
        "from the stop on were 2xx or problem+json without internals",
        fromStop,
        s -> s.answer().is2xx() || (s.answer().problem() && !s.answer().leaksInternals()));
    expectAll(
        name,
        "sent from the stop on took at most " + FAST_MILLIS + " ms",
        fromStop.stream().filter(s -> s.startMillis() >= stopBegin).toList(),
        s -> s.answer().millis() <= FAST_MILLIS);
    report.expect(
        readyDown.stream().allMatch(s -> s.answer().status() == 503),
        "%s: readiness was not DOWN (503) in every poll of the outage window",
        name);

    double readyAfter = firstAfter(ready, back, s -> s.answer().status() == 200);
    double servingAfter = firstAfter(api, back, s -> s.answer().is2xx());
    double stableAfter = lastFailureAfter(api, back);
    report.expect(readyAfter <= RECOVERY_SECONDS, "%s: ready again after %.1f s", name, readyAfter);
    report.expect(
        stableAfter <= RECOVERY_SECONDS,
        "%s: requests failed until %.1f s after PostgreSQL was back",
        name,
        stableAfter);
    report.figure(
        "%s: %d requests by %d clients, %d answered while PostgreSQL was down: %s, %s;"
            + " answers from the stop until the recovery: %s, %s",
        name,
        api.size(),
        settings.scale().outageClients(),
        down.size(),
        statuses(down),
        Report.percentiles(down.stream().map(s -> s.answer().millis()).toList()),
        statuses(
            after(api, stopBegin).stream()
                .filter(s -> s.startMillis() <= back + 1000 * stableAfter)
                .toList()),
        Report.percentiles(after(api, stopBegin).stream().map(s -> s.answer().millis()).toList()));
    report.figure(
        "%s: readiness polls while down %d, all 503: %s; after PostgreSQL was back:"
            + " ready in %.2f s, first 2xx in %.2f s, last failure at %.2f s; same app process",
        name,
        readyDown.size(),
        readyDown.stream().allMatch(s -> s.answer().status() == 503),
        readyAfter,
        servingAfter,
        stableAfter);
  }

  private void expectAll(String name, String when, List<Sample> samples, Predicate<Sample> ok) {
    List<Sample> bad = samples.stream().filter(ok.negate()).toList();
    report.expect(
        bad.isEmpty(),
        "%s: %d of %d answers not as expected (%s), e.g. %s %s sent at %d ms",
        name,
        bad.size(),
        samples.size(),
        when,
        bad.isEmpty() ? "" : bad.getFirst().kind(),
        bad.isEmpty() ? "" : bad.getFirst().answer(),
        bad.isEmpty() ? 0 : bad.getFirst().startMillis());
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
    return samples.stream()
        .filter(s -> s.startMillis() >= back)
        .filter(ok)
        .mapToLong(Sample::endMillis)
        .min()
        .stream()
        .mapToDouble(m -> (m - back) / 1000.0)
        .findFirst()
        .orElse(Double.POSITIVE_INFINITY);
  }

  /** Seconds after PostgreSQL was back at which the last non-2xx answer ended (0 if none). */
  static double lastFailureAfter(List<Sample> samples, long back) {
    return samples.stream()
        .filter(s -> s.endMillis() >= back && !s.answer().is2xx())
        .mapToLong(Sample::endMillis)
        .max()
        .stream()
        .mapToDouble(m -> (m - back) / 1000.0)
        .findFirst()
        .orElse(0);
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
