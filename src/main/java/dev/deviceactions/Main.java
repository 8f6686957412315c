package dev.deviceactions;

import dev.deviceactions.maintenance.MaintenanceRepository;
import dev.deviceactions.maintenance.SweepService;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * Serves the API, or with {@code sweep} runs one maintenance sweep against the configured database,
 * prints its counts as one JSON line and exits: what a Kubernetes CronJob runs.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
  static final String SWEEP = "sweep";

  @Inject SweepService sweeps;

  public static void main(String... args) {
    if (isCommand(args)) {
      // A one-shot command opens no HTTP port, and keeps stdout for its one line of JSON.
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.log.console.stderr", "true");
      System.setProperty("quarkus.banner.enabled", "false");
      System.setProperty("device-actions.sweep.every", "off");
    }
    Quarkus.run(Main.class, Main::failed, args);
  }

  @Override
  public int run(String... args) throws Exception {
    if (!isCommand(args)) {
      Quarkus.waitForExit();
      return 0;
    }
    try {
      var result =
          VertxContextSupport.subscribeAndAwait(
              () -> sweeps.sweep(MaintenanceRepository.SWEEP_ACTOR));
      System.out.println(result.toJson());
      return 0;
    } catch (Throwable e) {
      failed(1, e);
      return 1;
    }
  }

  private static boolean isCommand(String... args) {
    return args.length > 0 && SWEEP.equals(args[0]);
  }

  private static void failed(int exitCode, Throwable failure) {
    if (failure != null) {
      Throwable root = failure;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println(
          "device-actions failed: " + root.getClass().getSimpleName() + ": " + root.getMessage());
    }
    System.exit(exitCode == 0 && failure != null ? 1 : exitCode);
  }
}
