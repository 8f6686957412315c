package dev.deviceactions.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application as operators run it: a real process configured by environment. It is
 * what the build packaged (target/quarkus-artifact.properties): the native binary after a native
 * build, else the jar, started with the JDK that runs the tests.
 */
public final class Packaged {
  static final int EMBEDDED_PORT = 55434;
  static final String SECRETS_KEY = TestKeys.SECRETS_KEY;

  private Packaged() {}

  /** What a finished command left behind. */
  public record Run(int exitCode, String stdout, String stderr) {}

  /** A running serving instance and where its log goes. */
  public record Instance(Process process, Path log) implements AutoCloseable {
    public String logText() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    /**
     * Waits until the instance answers its liveness probe on {@code port}, 120 s at most (a JVM
     * start on a loaded machine, as for {@link #replica}).
     */
    public void awaitLive(int port) throws Exception {
      awaitUp(port, "/q/health/live", Duration.ofSeconds(120));
    }

    /** Waits until the instance answers 200 at {@code health} on {@code port}. */
    public void awaitUp(int port, String health, Duration within) throws Exception {
      Instant deadline = Instant.now().plus(within);
      while (Instant.now().isBefore(deadline)) {
        try {
          if (given().port(port).get(health).statusCode() == 200) {
            return;
          }
        } catch (Exception notYet) {
          if (!process.isAlive()) {
            throw new AssertionError("the instance exited:\n" + logText());
          }
          // not listening yet
        }
        Thread.sleep(250);
      }
      throw new AssertionError("port " + port + " not up at " + health + ":\n" + logText());
    }

    /**
     * SIGTERM, and SIGKILL if it has not exited 30 s later: the next test may want its port (the
     * fixed ports of the ITs) and its embedded database's.
     */
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  /** Production-style settings for a PostgreSQL on {@code port} of localhost. */
  public static Map<String, String> databaseOn(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + port + "/postgres");
    env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + port + "/postgres");
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("DEVICE_ACTIONS_SECRETS_KEY", SECRETS_KEY);
    return env;
  }

  public static Run run(Map<String, String> env, String... args) throws Exception {
    awaitEmbeddedDatabaseGone();
    Path out = Files.createTempFile("jar", ".out");
    Path err = Files.createTempFile("jar", ".err");
    Process process =
        builder(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the command did not finish");
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  public static Instance serve(Map<String, String> env) throws Exception {
    awaitEmbeddedDatabaseGone();
    return start(env);
  }

  /**
   * An instance whose own embedded dev database is on {@code embeddedPort}, not the default 55434:
   * several can run at once, beside the app under test.
   */
  public static Instance serve(Map<String, String> env, int embeddedPort) throws Exception {
    Map<String, String> own = new HashMap<>(env);
    own.put("QUARKUS_EMBEDDED_POSTGRESQL_PORT", Integer.toString(embeddedPort));
    return start(own);
  }

  /**
   * A replica serving on {@code httpPort} against the migrated PostgreSQL on {@code databasePort},
   * trusting the tests' tokens, its own embedded dev database on {@code embeddedPort}; ready when
   * this returns.
   */
  public static Instance replica(int databasePort, int httpPort, int embeddedPort)
      throws Exception {
    Map<String, String> env = databaseOn(databasePort);
    env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
    env.put("MP_JWT_VERIFY_ISSUER", TestKeys.ISSUER);
    env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyLocation());
    Instance instance = serve(env, embeddedPort);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      try {
        if (RestAssured.given().port(httpPort).get("/q/health/ready").statusCode() == 200) {
          return instance;
        }
      } catch (Exception notYet) {
        if (!instance.process().isAlive()) {
          throw new AssertionError("the instance exited:\n" + instance.logText());
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("port " + httpPort + " not ready:\n" + instance.logText());
  }

  private static Instance start(Map<String, String> env) throws Exception {
    Path log = Files.createTempFile("jar", ".log");
    Process process = builder(env).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Instance(process, log);
  }

  /**
   * The one plain-text line of a failed command: its reason. Production logs are JSON objects, one
   * a line, so the reason stands out whatever the order of the last log lines.
   */
  public static List<String> plainLines(Run run) {
    return run.stderr().lines().filter(line -> !line.startsWith("{")).toList();
  }

  /**
   * The default jar brings its own embedded database on a fixed port (55434); a process that just
   * ended may still be stopping it, so the next one waits until the port is free.
   */
  static void awaitEmbeddedDatabaseGone() throws InterruptedException {
    if (!Boolean.getBoolean("test.embedded-stack")) {
      return; // a production artifact has no embedded database
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket("localhost", EMBEDDED_PORT)) {
        Thread.sleep(250);
      } catch (IOException free) {
        return;
      }
    }
    throw new IllegalStateException("port " + EMBEDDED_PORT + " is still taken");
  }

  private static ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(launcher());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return builder;
  }

  /** Whether the build packaged a native binary rather than a jar. */
  public static boolean isNative() {
    return "native".equals(artifact().getProperty("type"));
  }

  /** How to start the packaged artifact: the native binary itself, or java -jar. */
  static List<String> launcher() {
    Path path = Path.of("target").resolve(artifact().getProperty("path"));
    if (isNative()) {
      return List.of(path.toString());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-jar", path.toString());
  }

  private static Properties artifact() {
    Properties artifact = new Properties();
    try (var in = Files.newInputStream(Path.of("target", "quarkus-artifact.properties"))) {
      artifact.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("nothing packaged: run the tests with ./mvnw verify", e);
    }
    return artifact;
  }
}
