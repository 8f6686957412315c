package dev.deviceactions;

import dev.deviceactions.apple.DeviceCaCommand;
import dev.deviceactions.maintenance.MaintenanceRepository;
import dev.deviceactions.maintenance.SweepService;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Serves the API, or with {@code sweep} runs one maintenance sweep against the configured database,
 * prints its counts as one JSON line and exits: what a Kubernetes CronJob runs. {@code migrate}
 * applies the Flyway migrations; {@code device-ca} writes a new device CA's PEM files without
 * starting the application at all (no database, no server).
 */
@QuarkusMain
public class Main implements QuarkusApplication {
  static final String SWEEP = "sweep";
  static final String MIGRATE = "migrate";

  private static volatile Throwable failure;

  @Inject SweepService sweeps;
  @Inject Instance<Flyway> flyway;

  public static void main(String... args) {
    if (args.length > 0 && DeviceCaCommand.NAME.equals(args[0])) {
      System.exit(deviceCa(args));
    }
    if (isCommand(args)) {
      // A one-shot command opens no HTTP port, and keeps stdout for its one line of JSON.
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.log.console.stderr", "true");
      System.setProperty("quarkus.banner.enabled", "false");
      System.setProperty("device-actions.sweep.every", "off");
      // The command itself migrates (migrate) or works on a migrated schema (sweep): it neither
      // migrates at
      // start nor has Hibernate validate a schema that `migrate` may be about to create.
      System.setProperty("quarkus.flyway.migrate-at-start", "false");
      System.setProperty("quarkus.hibernate-orm.schema-management.strategy", "none");
    }
    Quarkus.run(Main.class, Main::exited, args);
  }

  @Override
  public int run(String... args) throws Exception {
    if (!isCommand(args)) {
      Quarkus.waitForExit();
      return 0;
    }
    try {
      System.out.println(MIGRATE.equals(args[0]) ? migrate() : sweep());
      return 0;
    } catch (Throwable e) {
      failure = e;
      return 1;
    }
  }

  private String sweep() throws Throwable {
    return VertxContextSupport.subscribeAndAwait(
            () -> sweeps.sweep(MaintenanceRepository.SWEEP_ACTOR))
        .toJson();
  }

  /** Applies what is pending, and says which migrations ran and where the schema now is. */
  private String migrate() {
    MigrateResult result = flyway.get().migrate();
    String applied =
        result.migrations.stream()
            .map(m -> "\"" + m.version + " " + m.description + "\"")
            .collect(Collectors.joining(","));
    String version =
        flyway.get().info().current() == null
            ? "none"
            : flyway.get().info().current().getVersion().getVersion();
    return "{\"migrationsApplied\":"
        + result.migrationsExecuted
        + ",\"schemaVersion\":\""
        + version
        + "\",\"applied\":["
        + applied
        + "]}";
  }

  /** Runs before and without Quarkus: making a CA needs no configuration, database or server. */
  private static int deviceCa(String... args) {
    try {
      System.out.println(DeviceCaCommand.run(Arrays.asList(args).subList(1, args.length)));
      return 0;
    } catch (Exception e) {
      System.err.println("device-actions failed: " + e.getMessage());
      return 1;
    }
  }

  private static boolean isCommand(String... args) {
    return args.length > 0 && (SWEEP.equals(args[0]) || MIGRATE.equals(args[0]));
  }

  /** Runs after shutdown, so that the one-line reason is the last line an operator sees. */
  private static void exited(int exitCode, Throwable startFailure) {
    Throwable cause = startFailure != null ? startFailure : failure;
    if (cause != null) {
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      System.err.println(
          "device-actions failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    System.exit(exitCode == 0 && cause != null ? 1 : exitCode);
  }
}
