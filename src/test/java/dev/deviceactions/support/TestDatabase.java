package dev.deviceactions.support;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
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
      int port = Integer.getInteger("test.database.port", 55433);
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
}
