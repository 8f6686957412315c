import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The production jar as a child process on the app port: started, waited for until ready, killed
 * with SIGKILL, stopped. Its log goes to app.log in the work directory and its pid to app.pid, so
 * that run.sh can stop it whatever happens to this driver.
 */
final class App {
  static final String SECRETS_KEY = "cmVsaWFiaWxpdHktb25seS1rZXktMzItYnl0ZXMtISE=";

  /** Small sweep batches make concurrent sweeps interleave instead of one taking everything. */
  static final String SWEEP_BATCH = "50";

  /** Where the tests keep their device CA (src/test/resources), relative to the project. */
  static final String TEST_KEYS = "src/test/resources/test-keys";

  private final Settings settings;
  private final Api api;
  private final String sink;
  private Process process;

  App(Settings settings, String sink) {
    this.settings = settings;
    this.sink = sink;
    this.api = new Api(settings.appPort(), Duration.ofSeconds(2));
  }

  /** Starts the jar and returns the seconds until /q/health/ready answered 200. */
  double start() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(java(), "-jar", settings.jar().toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().putAll(env());
    long started = System.nanoTime();
    process = builder.start();
    Files.writeString(settings.work().resolve("app.pid"), Long.toString(process.pid()));
    while (api.get("/q/health/ready", null).status() != 200) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the app exited with " + process.exitValue() + "; see " + log());
      }
      if (System.nanoTime() - started > 90e9) {
        throw new IllegalStateException("the app was not ready within 90 s; see " + log());
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  /** kill -9: no shutdown hook, no graceful end of in-flight requests. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill9();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** Runs the jar's one-shot command (e.g. "sweep") to its end; returns its stdout. */
  Process command(String name) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(java(), "-jar", settings.jar().toString(), name)
            .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().putAll(env());
    return builder.start();
  }

  Path log() {
    return settings.work().resolve("app.log");
  }

  Map<String, String> env() throws IOException {
    Map<String, String> env = new HashMap<>();
    String db = "localhost:" + settings.dbPort() + "/postgres";
    env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + db);
    env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + db);
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(settings.appPort()));
    env.put("DEVICE_ACTIONS_SECRETS_KEY", SECRETS_KEY);
    env.put("MP_JWT_VERIFY_PUBLICKEY", Files.readString(settings.keys().resolve("jwt-public.pem")));
    env.put("MP_JWT_VERIFY_ISSUER", Api.ISSUER);
    // The scenarios sweep themselves, and only rows they seeded two days in the past may count:
    // no in-process sweep, and no restart requested during the run may time out.
    env.put("DEVICE_ACTIONS_SWEEP_EVERY", "off");
    env.put("DEVICE_ACTIONS_RESTART_TIMEOUT", "1d");
    env.put("DEVICE_ACTIONS_SWEEP_BATCH_SIZE", SWEEP_BATCH);
    // Every change goes to the driver's event sink (scenarios 5 and 6 check it); quick retries.
    env.put("DEVICE_ACTIONS_EVENTS_SINKS", sink);
    env.put("DEVICE_ACTIONS_EVENTS_INITIAL_BACKOFF", "200ms");
    env.put("DEVICE_ACTIONS_EVENTS_MAX_BACKOFF", "1s");
    env.put("DEVICE_ACTIONS_EVENTS_CONNECT_TIMEOUT", "1s");
    env.put("DEVICE_ACTIONS_EVENTS_REQUEST_TIMEOUT", "2s");
    // Apple MDM (scenario 9): the tests' device CA, so that the simulated devices' identities are
    // issued by the CA the app trusts; no push certificate (the devices poll).
    env.put("DEVICE_ACTIONS_PUBLIC_URL", "http://localhost:" + settings.appPort());
    env.put("DEVICE_ACTIONS_APPLE_PUSH_TOPIC", "com.apple.mgmt.External.reliability");
    env.put("DEVICE_ACTIONS_APPLE_CA_CERT", Path.of(TEST_KEYS, "device-ca.pem").toAbsolutePath().toString());
    env.put("DEVICE_ACTIONS_APPLE_CA_KEY", Path.of(TEST_KEYS, "device-ca-key.pem").toAbsolutePath().toString());
    return env;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> lines(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes()).lines().toList();
  }
}
