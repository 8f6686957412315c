package dev.deviceactions.maintenance;

import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
