package dev.deviceactions.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The app on a PostgreSQL of its own that loads pg_stat_statements (the embedded stack's database
 * cannot), for tests that count the statements the app sends.
 */
public class CountedStatements implements QuarkusTestProfile {
  private static EmbeddedPostgres postgres;
  private static Pool pool;

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(Database.class));
  }

  /** A client of that database, with pg_stat_statements created. */
  public static synchronized Pool pool() {
    if (pool == null) {
      pool = TestDatabase.poolOn(postgres.getPort());
      pool.query("create extension if not exists pg_stat_statements")
          .execute()
          .await()
          .indefinitely();
    }
    return pool;
  }

  public static class Database implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      try {
        postgres =
            EmbeddedPostgres.builder()
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .start();
      } catch (IOException e) {
        throw new IllegalStateException("PostgreSQL with pg_stat_statements", e);
      }
      return TestDatabase.appConfig(postgres.getPort());
    }

    @Override
    public synchronized void stop() {
      if (pool != null) {
        pool.closeAndAwait();
        pool = null;
      }
      try {
        postgres.close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
