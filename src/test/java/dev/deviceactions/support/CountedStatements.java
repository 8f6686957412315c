package dev.deviceactions.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  /** Forgets what was counted so far: {@link #sent()} then counts from here. */
  public static void reset() {
    pool().query("select pg_stat_statements_reset()").execute().await().indefinitely();
  }

  /**
   * What the app sent since the last {@code pg_stat_statements_reset()}, query text to calls,
   * leaving out the relay's outbox statements, the wake-ups sent after commits
   * (common/Notifications, on a connection of their own, batched: not part of any request) and the
   * tests' own reads of pg_stat_statements.
   */
  public static Map<String, Long> sent() {
    Map<String, Long> sent = new TreeMap<>();
    for (Row row :
        pool()
            .query(
                "select query, calls from pg_stat_statements where toplevel"
                    + " and query not like '%pg_stat_statements%' and query not like '%event_outbox%'"
                    + " and query not like '%pg_notify%'")
            .execute()
            .await()
            .indefinitely()) {
      sent.merge(row.getString("query"), row.getLong("calls"), Long::sum);
    }
    return sent;
  }

  /** The calls since the last reset of the statements whose text is {@code like} the pattern. */
  public static long callsOf(String like) {
    return summed("calls", like);
  }

  /** How often PostgreSQL planned the statements whose text is {@code like} the pattern. */
  public static long plansOf(String like) {
    return summed("plans", like);
  }

  private static long summed(String column, String like) {
    return pool()
        .preparedQuery(
            "select coalesce(sum("
                + column
                + "), 0)::bigint as n from pg_stat_statements"
                + " where query like $1 and query not like '%pg_stat_statements%'")
        .execute(Tuple.of(like))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong("n");
  }

  /** The calls of the statements in {@code sent} whose text contains {@code fragment}. */
  public static long calls(Map<String, Long> sent, String fragment) {
    return sent.entrySet().stream()
        .filter(e -> e.getKey().toLowerCase().contains(fragment))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  public static class Database implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      try {
        postgres =
            EmbeddedPostgres.builder()
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track_planning", "on")
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
