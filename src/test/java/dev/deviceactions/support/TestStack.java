package dev.deviceactions.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the app under test needs around it, for {@code @QuarkusTest} and the {@code *IT} suites
 * alike: the test keys, and a real PostgreSQL. The default build's app starts its own embedded
 * database (the "embedded" Maven profile); a production build (-Dprod, and so -Dnative) has none,
 * so here the tests start one (zonky's embedded PostgreSQL, a test dependency only) on the port the
 * embedded database would use, and point the app at it.
 */
public class TestStack implements QuarkusTestResourceLifecycleManager {
  private EmbeddedPostgres database;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    config.put("mp.jwt.verify.publickey.location", TestKeys.publicKeyLocation());
    if (!Boolean.getBoolean("test.embedded-stack")) {
      config.putAll(productionDatabase());
    }
    return config;
  }

  private Map<String, String> productionDatabase() {
    try {
      database = EmbeddedPostgres.builder().setPort(TestDatabase.port()).start();
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL for the tests on " + TestDatabase.port(), e);
    }
    return TestDatabase.appConfig(database.getPort());
  }

  @Override
  public void stop() {
    if (database != null) {
      try {
        database.close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
