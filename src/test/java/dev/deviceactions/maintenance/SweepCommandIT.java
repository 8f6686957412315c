package dev.deviceactions.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Packaged;
import dev.deviceactions.support.Packaged.Run;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-shot {@code sweep} command as a Kubernetes CronJob runs it: the packaged jar, a real
 * process, pointed at a PostgreSQL by the standard QUARKUS_DATASOURCE_* variables.
 */
class SweepCommandIT {
  static EmbeddedPostgres database;

  @BeforeAll
  static void startDatabase() throws IOException {
    database = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    database.close();
  }

  @Test
  void sweepsTheConfiguredDatabaseAndPrintsOneJsonLine() throws Exception {
    assertEquals(0, Packaged.run(Packaged.databaseOn(database.getPort()), "migrate").exitCode());
    Run first = sweep(database.getPort());
    assertEquals(0, first.exitCode(), first.stderr());
    assertEquals(
        "{\"purgedRecoveryPins\":0,\"purgedPasscodes\":0,\"timedOutRestarts\":0}",
        first.stdout().strip());
    assertTrue(
        first.stderr().lines().allMatch(line -> line.startsWith("{\"timestamp\"")),
        "production logs are JSON, one object a line:\n" + first.stderr());

    try (Connection c = database.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "insert into device (id, name, platform, os_version, supervised, passcode_set, azure_ad_joined,"
              + " token_hash, enrolled_at, outstanding_pin_action_id, outstanding_pin_issued_at) values"
              + " ('00000000-0000-0000-0000-000000000001', 'Mac', 'macOS', '14.2', false, true, false,"
              + " '\\x01', now(), '00000000-0000-0000-0000-0000000000a1', now() - interval '31 days')");
      s.execute(
          "insert into device_action (id, device_id, action, state, initiated_by, requested_at, last_updated_at)"
              + " values ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001',"
              + " 'remoteLock', 'done', 'it', now() - interval '31 days', now()),"
              + " ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-000000000001',"
              + " 'rebootNow', 'active', 'it', now() - interval '10 minutes', now())");
      s.execute(
          "insert into action_secret (action_id, device_id, kind, ciphertext, issued_at) values"
              + " ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001',"
              + " 'recoveryPin', '\\x0102', now() - interval '31 days')");
    }

    Run second = sweep(database.getPort());
    assertEquals(0, second.exitCode(), second.stderr());
    assertEquals(
        "{\"purgedRecoveryPins\":1,\"purgedPasscodes\":0,\"timedOutRestarts\":1}",
        second.stdout().strip());
    try (Connection c = database.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      ResultSet secret = s.executeQuery("select ciphertext from action_secret");
      secret.next();
      assertNull(secret.getBytes(1));
      ResultSet reboot =
          s.executeQuery(
              "select state, failure_reason from device_action where action = 'rebootNow'");
      reboot.next();
      assertEquals("failed", reboot.getString(1));
      assertEquals("timedOut", reboot.getString(2));
    }
  }

  @Test
  void aDatabaseItCannotReachIsANonZeroExitWithAOneLineReason() throws Exception {
    Run run = sweep(1);
    assertNotEquals(0, run.exitCode());
    assertEquals("", run.stdout().strip());
    List<String> reason = Packaged.plainLines(run);
    assertEquals(1, reason.size(), run.stderr());
    String last = reason.getFirst();
    assertTrue(last.startsWith("device-actions failed: "), last);
    assertTrue(last.contains("Connection refused"), last);
  }

  private static Run sweep(int port) throws Exception {
    return Packaged.run(Packaged.databaseOn(port), "sweep");
  }
}
