import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reliability suite's driver (JDK only; run.sh compiles and starts it): starts the production
 * jar against the cluster run.sh made, with an event sink of its own, runs the seven scenarios, prints PASS or FAIL with figures
 * for each, and exits 1 if any failed.
 */
public class Reliability {
  /** One scenario; it reports its own failures, and an exception fails it too. */
  interface Scenario {
    Report run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    Postgres db = new Postgres(settings);
    EventSink sink = new EventSink();
    sink.up();
    App app = new App(settings, sink.url());
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
    Api api = new Api(settings.appPort(), Duration.ofSeconds(10));
    Api.Tokens tokens = new Api.Tokens(settings.keys().resolve("jwt-private.pem"));
    printMachine(settings);

    List<Report> reports = new ArrayList<>();
    long started = System.nanoTime();
    System.out.printf("app ready in %.1f s%n", app.start());
    String admin = tokens.token("reliability@reliability", "admin");
    List<Fleet.Device> pcs =
        Fleet.enroll(api, admin, Fleet.WINDOWS, "pc", settings.scale().burstWindows());
    System.out.printf("enrolled %d Windows PCs%n", pcs.size());
    Contention contention = new Contention(settings, app, db, api, tokens);
    EventStream events = new EventStream(settings, app, db, api, tokens, sink, pcs);
    Map<Integer, List<Scenario>> scenarios =
        Map.of(
            1, List.of(() -> new KillDuringBurst(settings, app, db, api, tokens, pcs).run()),
            2, List.of(() -> new DatabaseRestart(settings, app, db, api, tokens, pcs).run()),
            3, List.of(contention::locks, contention::sweeps),
            4, List.of(() -> new MalformedStorm(settings, api, tokens, pcs.getFirst()).run()),
            5, List.of(events::sinkOutage),
            6, List.of(events::killWhileRelaying),
            7, List.of(() -> new AbruptDisconnect(settings, app, db, api, tokens, pcs).run()),
            9, List.of(() -> new AppleDuringKill(settings, app, db, api, tokens).run()));
    for (int number : settings.only()) {
      for (Scenario scenario : scenarios.get(number)) {
        Report report = attempt(scenario);
        report.print();
        reports.add(report);
      }
    }
    app.stop();
    summarize(reports, started, app);
  }

  private static Report attempt(Scenario scenario) {
    long started = System.nanoTime();
    Report report;
    try {
      report = scenario.run();
    } catch (Exception e) {
      report = new Report("a scenario crashed");
      report.expect(false, "%s", e);
    }
    report.seconds = (System.nanoTime() - started) / 1e9;
    return report;
  }

  private static void summarize(List<Report> reports, long started, App app) throws Exception {
    long failed = reports.stream().filter(r -> !r.passed()).count();
    List<String> unexpected =
        Files.readAllLines(app.log()).stream()
            .filter(l -> l.contains("Unexpected failure"))
            .map(Reliability::exceptionType)
            .toList();
    System.out.printf(
        "app log: %d 'Unexpected failure' entries %s%n",
        unexpected.size(), unexpected.stream().distinct().limit(5).toList());
    System.out.printf(
        "%s: %d of %d scenarios passed in %.0f s%n",
        failed == 0 ? "PASS" : "FAIL",
        reports.size() - failed,
        reports.size(),
        (System.nanoTime() - started) / 1e9);
    System.exit(failed == 0 ? 0 : 1);
  }

  /** The exception type and message of a JSON log line, for the summary. */
  private static String exceptionType(String line) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"exceptionType\":\"([^\"]+)\",\"message\":\"(.{0,120})")
            .matcher(line);
    return m.find()
        ? m.group(1) + ": " + m.group(2)
        : line.substring(0, Math.min(200, line.length()));
  }

  private static void printMachine(Settings settings) throws Exception {
    long memMib =
        Files.readAllLines(java.nio.file.Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
            .findFirst()
            .orElse(-1);
    System.out.printf(
        "reliability suite, %s mode; machine: %d cores, %d MiB, %s %s%n",
        settings.full() ? "full" : "short",
        Runtime.getRuntime().availableProcessors(),
        memMib,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }
}
