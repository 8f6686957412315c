package dev.deviceactions.maintenance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Packaged;
import dev.deviceactions.support.Packaged.Run;
import dev.deviceactions.support.TestKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migrations as their own one-shot job, and serving instances that refuse to be ready on a schema
 * they were not built for: the rollout order a Kubernetes Job and Deployment follow.
 */
class MigrateCommandIT {

  @Test
  void migrateAppliesOnceAndIsThenIdempotent() throws Exception {
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().start()) {
      Map<String, String> env = Packaged.databaseOn(database.getPort());

      Run first = Packaged.run(env, "migrate");
      assertEquals(0, first.exitCode(), first.stderr());
      List<String> migrations = migrations();
      assertEquals(
          "{\"migrationsApplied\":"
              + migrations.size()
              + ",\"schemaVersion\":\""
              + Schema.VERSION
              + "\",\"applied\":["
              + String.join(",", migrations.stream().map(m -> '"' + m + '"').toList())
              + "]}",
          first.stdout().strip());

      Run again = Packaged.run(env, "migrate");
      assertEquals(0, again.exitCode(), again.stderr());
      assertEquals(
          "{\"migrationsApplied\":0,\"schemaVersion\":\"" + Schema.VERSION + "\",\"applied\":[]}",
          again.stdout().strip());
    }
  }

  /**
   * What Flyway reports per file of db/migration, in order: "6 event outbox" for V6__event_outbox.
   */
  private static List<String> migrations() throws java.io.IOException {
    try (var files =
        java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .sorted(
              java.util.Comparator.comparingInt(
                  n -> Integer.parseInt(n.substring(1, n.indexOf("__")))))
          .map(n -> n.substring(1, n.length() - 4).replaceFirst("__", " ").replace('_', ' '))
          .toList();
    }
  }

  @Test
  void migrateFailsClearlyOnADatabaseItCannotReach() throws Exception {
    Run run = Packaged.run(Packaged.databaseOn(1), "migrate");
    assertNotEquals(0, run.exitCode());
    assertEquals("", run.stdout().strip());
    List<String> reason = Packaged.plainLines(run);
    assertEquals(1, reason.size(), run.stderr());
    assertTrue(reason.getFirst().startsWith("device-actions failed: "), reason.getFirst());
  }

  @Test
  void aProductionInstanceWithoutJdbcStaysNotReadyOnAnUnmigratedDatabaseAndSaysWhy()
      throws Exception {
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().start()) {
      Map<String, String> env = Packaged.databaseOn(database.getPort());
      // What a -Dprod build and deploy/ do: no migration and no schema validation at start, and no
      // JDBC URL (empty masks the embedded stack's), so the JDBC datasource stays inactive.
      env.put("QUARKUS_DATASOURCE_JDBC_URL", "");
      env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
      env.put("QUARKUS_HIBERNATE_ORM_SCHEMA_MANAGEMENT_STRATEGY", "none");
      env.put("QUARKUS_HTTP_PORT", "8093");
      env.put("MP_JWT_VERIFY_ISSUER", Api.ISSUER);
      env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyLocation());
      try (Packaged.Instance instance = Packaged.serve(env)) {
        instance.awaitLive(8093);
        given()
            .port(8093)
            .get("/q/health/ready")
            .then()
            .statusCode(503)
            .body("checks.find { it.name == 'Database schema' }.status", equalTo("DOWN"))
            .body(
                "checks.find { it.name == 'Database schema' }.data.reason",
                containsString("run the one-shot 'migrate'"));
        assertTrue(
            instance
                .logText()
                .contains("Database schema is at version none, this build needs " + Schema.VERSION),
            instance.logText());

        // The migrate job runs (here Flyway itself: a second jar process would collide with this
        // one's embedded dev database); the instance becomes ready without a restart.
        Flyway.configure()
            .dataSource(database.getPostgresDatabase())
            .locations("filesystem:src/main/resources/db/migration")
            .load()
            .migrate();
        given().port(8093).get("/q/health/ready").then().statusCode(200);
        // ...and serves from the database through the reactive client alone.
        given()
            .port(8093)
            .auth()
            .oauth2(Api.token("it", "devices.read"))
            .get("/api/v1/devices")
            .then()
            .statusCode(200);
      }
    }
  }
}
