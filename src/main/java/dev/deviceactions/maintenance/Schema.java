package dev.deviceactions.maintenance;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness that the schema is at the version this build expects: serving instances do not migrate,
 * so one started before its `migrate` job ran stays out of the load balancer and says why, in its
 * readiness answer and once in its log at start.
 */
@Readiness
@ApplicationScoped
public class Schema implements AsyncHealthCheck {
  /** The highest migration in db/migration; SchemaTest keeps the two in step. */
  public static final String VERSION = "11";

  static final String NAME = "Database schema";
  private static final String CURRENT =
      "select version from flyway_schema_history where success and version is not null"
          + " order by installed_rank desc limit 1";

  private final Pool database;

  public Schema(Pool database) {
    this.database = database;
  }

  /**
   * Checks once at start, off the start path, so that a wrong schema is in the log at once. A
   * one-shot command (no HTTP listener) serves nothing and is not checked.
   */
  void atStart(
      @Observes StartupEvent event,
      @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true") boolean serving) {
    if (!serving) {
      return;
    }
    current()
        .subscribe()
        .with(
            version -> {
              if (!VERSION.equals(version)) {
                Log.error(problem(version));
              }
            },
            failure -> Log.errorf("Database schema not checked: %s", failure.getMessage()));
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return current()
        .map(
            version ->
                HealthCheckResponse.named(NAME)
                    .status(VERSION.equals(version))
                    .withData("expected", VERSION)
                    .withData("found", version == null ? "none" : version)
                    .withData("reason", VERSION.equals(version) ? "up to date" : problem(version))
                    .build())
        .onFailure()
        .recoverWithItem(
            e -> HealthCheckResponse.named(NAME).down().withData("reason", e.getMessage()).build());
  }

  /** The schema version in the database, or null when it was never migrated. */
  Uni<String> current() {
    return database
        .query("select to_regclass('flyway_schema_history') is not null as migrated")
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("migrated"))
        .chain(
            migrated ->
                migrated
                    ? database.query(CURRENT).execute().map(rows -> version(rows.iterator()))
                    : Uni.createFrom().nullItem());
  }

  private static String version(java.util.Iterator<Row> rows) {
    return rows.hasNext() ? rows.next().getString("version") : null;
  }

  static String problem(String found) {
    return "Database schema is at version "
        + (found == null ? "none" : found)
        + ", this build needs "
        + VERSION
        + ": run the one-shot 'migrate' command (java -jar quarkus-run.jar migrate, or the migrate"
        + " Job) before serving";
  }
}
