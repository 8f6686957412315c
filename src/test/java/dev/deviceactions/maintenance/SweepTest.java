package dev.deviceactions.maintenance;

import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The maintenance sweep: PINs purged after 30 days, passcodes after 7, restarts timed out. */
@QuarkusTest
class SweepTest {
  final Pool database = TestDatabase.pool();

  @Test
  void aPinOlderThanItsRetentionIsNeverShownAndThenPurged() {
    EnrolledDevice mac = Api.mac();
    String lock = Api.request(mac, "remoteLock");
    backdateSecret(lock, "31 days");

    asAdmin()
        .get("/api/v1/devices/" + mac.id() + "/secrets")
        .then()
        .body("recoveryPin", nullValue());
    asAdmin().get("/api/v1/device-actions/" + lock + "/secret").then().statusCode(404);
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);

    String other =
        asAdmin()
            .post("/api/v1/devices/" + Api.mac().id() + "/remoteLock")
            .then()
            .extract()
            .path("id");
    backdateSecret(other, "31 days");
    as("maintenance.run")
        .post("/api/v1/maintenance/sweep")
        .then()
        .statusCode(200)
        .body("purgedRecoveryPins", greaterThanOrEqualTo(1));
    assertNull(ciphertext(other));
  }

  @Test
  void aTemporaryPasscodeLivesSevenDays() {
    EnrolledDevice ipad = Api.enroll(Map.of("platform", "iPadOS", "osVersion", "17.4"));
    String reset = Api.request(ipad, "resetPasscode");
    backdateSecret(reset, "6 days");
    asAdmin()
        .get("/api/v1/devices/" + ipad.id() + "/secrets")
        .then()
        .body("temporaryPasscode.actionId", equalTo(reset));
    backdateSecret(reset, "2 days");
    asAdmin()
        .get("/api/v1/devices/" + ipad.id() + "/secrets")
        .then()
        .body("temporaryPasscode", nullValue());
    asDevice(ipad).post("/agent/v1/checkin").then().body("commands[0].passcode", nullValue());

    asAdmin()
        .post("/api/v1/maintenance/sweep")
        .then()
        .statusCode(200)
        .body("purgedPasscodes", greaterThanOrEqualTo(1));
    assertNull(ciphertext(reset));
  }

  @Test
  void aRestartNotDoneWithinFiveMinutesFailsAsTimedOut() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    asDevice(windows).post("/agent/v1/checkin").then().statusCode(200);
    backdateAction(reboot, "6 minutes");

    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "done"))
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(409)
        .body("code", equalTo("actionAlreadyCompleted"));
    asAdmin()
        .post("/api/v1/maintenance/sweep")
        .then()
        .statusCode(200)
        .body("timedOutRestarts", greaterThanOrEqualTo(1));
    asAdmin()
        .get("/api/v1/device-actions/" + reboot)
        .then()
        .body("state", equalTo("failed"))
        .body("failureReason", equalTo("timedOut"));
    asAdmin()
        .queryParam("deviceId", windows.id())
        .queryParam("activity", "actionTimedOut")
        .get("/api/v1/audit-events")
        .then()
        .body("items[0].actionId", equalTo(reboot))
        .body("items[0].actor", equalTo("system:sweep"));
  }

  @Test
  void aPendingRestartPastItsDeadlineIsNotDelivered() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    backdateAction(reboot, "6 minutes");
    asDevice(windows).post("/agent/v1/checkin").then().body("commands.size()", equalTo(0));
  }

  @Test
  void twoConcurrentSweepsCountEachRowOnce() {
    List<String> reboots = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      EnrolledDevice windows = Api.windows();
      reboots.add(Api.request(windows, "rebootNow"));
    }
    long before = timedOutCount();
    reboots.forEach(id -> backdateAction(id, "10 minutes"));
    String token = Api.token("ops", "maintenance.run");

    List<CompletableFuture<Integer>> sweeps =
        List.of(sweepAsync(token), sweepAsync(token), sweepAsync(token));
    int counted = sweeps.stream().mapToInt(CompletableFuture::join).sum();

    assertEquals(timedOutCount() - before, counted);
    reboots.forEach(
        id ->
            asAdmin()
                .get("/api/v1/device-actions/" + id)
                .then()
                .body("failureReason", equalTo("timedOut")));
  }

  /**
   * A batch's cost must follow the batch, not the tables: the updates find their rows by key. The
   * plans are read on 20,000 PINs and 20,000 restarts that the planner takes for all expired,
   * seeded in a transaction that is rolled back.
   */
  @Test
  void eachSweepBatchFindsItsRowsByKeyWithoutScanningTheTables() {
    SqlConnection connection = database.getConnection().await().indefinitely();
    Transaction transaction = connection.begin().await().indefinitely();
    try {
      for (String sql :
          List.of(
              "insert into device (id, name, platform, os_version, supervised, passcode_set,"
                  + " azure_ad_joined, token_hash, enrolled_at) select gen_random_uuid(), 'sweep-plan',"
                  + " 'macOS', '14.2', false, true, false, decode(md5(random()::text), 'hex'), now()"
                  + " from generate_series(1, 200)",
              "insert into device_action (id, device_id, action, state, initiated_by, requested_at,"
                  + " last_updated_at) select gen_random_uuid(), d.id, a.action, 'active', 'sweep-plan',"
                  + " now(), now() from (select id from device where name = 'sweep-plan') d,"
                  + " generate_series(1, 100) g, (values ('remoteLock'), ('rebootNow')) a (action)",
              "insert into action_secret (action_id, device_id, kind, ciphertext, issued_at)"
                  + " select id, device_id, 'recoveryPin', decode('00', 'hex'), requested_at"
                  + " from device_action where initiated_by = 'sweep-plan' and action = 'remoteLock'",
              "analyze device",
              "analyze device_action",
              "analyze action_secret")) {
        connection.query(sql).execute().await().indefinitely();
      }

      // Deadlines after every seeded row.
      OffsetDateTime later = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1);
      String purge =
          TestDatabase.plan(
              connection,
              MaintenanceRepository.PURGE_SECRETS,
              Tuple.of("recoveryPin", later, 10_000));
      String timeOut =
          TestDatabase.plan(
              connection,
              MaintenanceRepository.TIME_OUT_RESTARTS,
              Tuple.of(later, 300_000L, 10_000, OffsetDateTime.now(ZoneOffset.UTC))
                  .addString("test")
                  .addString("test"));

      assertTrue(purge.contains("action_secret_pkey"), purge);
      assertFalse(purge.contains("Seq Scan on action_secret"), purge);
      assertTrue(timeOut.contains("device_action_pkey"), timeOut);
      assertFalse(timeOut.contains("Seq Scan on device_action"), timeOut);
    } finally {
      transaction.rollback().await().indefinitely();
      connection.close().await().indefinitely();
    }
  }

  @Test
  void onlyMaintenanceRunMaySweep() {
    as("devices.write")
        .post("/api/v1/maintenance/sweep")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    io.restassured.RestAssured.given().post("/api/v1/maintenance/sweep").then().statusCode(401);
  }

  private static CompletableFuture<Integer> sweepAsync(String token) {
    return CompletableFuture.supplyAsync(
        () ->
            io.restassured.RestAssured.given()
                .auth()
                .oauth2(token)
                .post("/api/v1/maintenance/sweep")
                .then()
                .statusCode(200)
                .extract()
                .path("timedOutRestarts"));
  }

  private long timedOutCount() {
    return database
        .query("select count(*) from device_action where failure_reason = 'timedOut'")
        .execute()
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  private void backdateSecret(String actionId, String age) {
    database
        .preparedQuery(
            "update action_secret set issued_at = issued_at - cast($2::text as interval) where action_id = $1")
        .execute(Tuple.of(UUID.fromString(actionId), age))
        .await()
        .indefinitely();
    database
        .preparedQuery(
            "update device set outstanding_pin_issued_at = outstanding_pin_issued_at - cast($2::text as interval)"
                + " where outstanding_pin_action_id = $1")
        .execute(Tuple.of(UUID.fromString(actionId), age))
        .await()
        .indefinitely();
  }

  private void backdateAction(String actionId, String age) {
    database
        .preparedQuery(
            "update device_action set requested_at = requested_at - cast($2::text as interval) where id = $1")
        .execute(Tuple.of(UUID.fromString(actionId), age))
        .await()
        .indefinitely();
  }

  private Object ciphertext(String actionId) {
    return database
        .preparedQuery("select ciphertext from action_secret where action_id = $1")
        .execute(Tuple.of(UUID.fromString(actionId)))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getValue(0);
  }
}
