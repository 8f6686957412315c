package dev.deviceactions.support;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;

/**
 * The embedded PostgreSQL the app under test uses, for tests that look at the tables directly.
 * {@code @QuarkusTest} runs it on 55433; the packaged jar of the {@code *IT} suites on 55434.
 */
public final class TestDatabase {
  private static Pool pool;

  private TestDatabase() {}

  public static synchronized Pool pool() {
    if (pool == null) {
      pool = poolOn(port());
    }
    return pool;
  }

  /** A client of the PostgreSQL on {@code port} as the embedded databases run (user postgres). */
  public static Pool poolOn(int port) {
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost("localhost")
            .setPort(port)
            .setDatabase("postgres")
            .setUser("postgres")
            .setPassword("postgres");
    return PgBuilder.pool().connectingTo(options).using(Vertx.vertx()).build();
  }

  /**
   * The app's datasource on the PostgreSQL on {@code port}, migrated at start: a production
   * artifact leaves migrating to its migrate job, and the tests want a ready schema.
   */
  public static Map<String, String> appConfig(int port) {
    return Map.of(
        "quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/postgres",
        "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres",
        "quarkus.datasource.username", "postgres",
        "quarkus.datasource.password", "postgres",
        "quarkus.flyway.migrate-at-start", "true");
  }

  /** Where the database of the app under test listens: -Dtest.database.port, else 55433. */
  public static int port() {
    return Integer.getInteger("test.database.port", 55433);
  }

  /** PostgreSQL's plan for {@code sql} (EXPLAIN, not run), one plan node a line. */
  public static String plan(SqlClient client, String sql, Tuple parameters) {
    StringBuilder plan = new StringBuilder();
    for (Row row :
        client.preparedQuery("explain " + sql).execute(parameters).await().indefinitely()) {
      plan.append(row.getString(0)).append('\n');
    }
    return plan.toString();
  }
}
