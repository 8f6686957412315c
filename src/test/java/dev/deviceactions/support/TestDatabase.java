package dev.deviceactions.support;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The embedded PostgreSQL the app under test uses, for tests that look at the tables directly.
 * {@code @QuarkusTest} runs it on 55433; the packaged jar of the {@code *IT} suites on 55434.
 */
public final class TestDatabase {
  private static Pool pool;

  private TestDatabase() {}

  public static synchronized Pool pool() {
    if (pool == null) {
      int port = port();
      PgConnectOptions options =
          new PgConnectOptions()
              .setHost("localhost")
              .setPort(port)
              .setDatabase("postgres")
              .setUser("postgres")
              .setPassword("postgres");
      pool = PgBuilder.pool().connectingTo(options).using(Vertx.vertx()).build();
    }
    return pool;
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
