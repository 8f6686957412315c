package dev.deviceactions.action;

import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Remote actions end to end: request, the guard, delivery, results, secrets, bulk. */
@QuarkusTest
class RemoteActionsTest {
  final Pool database = TestDatabase.pool();

  @Test
  void macLockIsAcceptedWithLocationAndDeliversASixDigitPin() {
    EnrolledDevice mac = Api.mac();
    String actionId =
        asAdmin()
            .post("/api/v1/devices/" + mac.id() + "/remoteLock")
            .then()
            .statusCode(202)
            .header("Location", containsString("/api/v1/device-actions/"))
            .body("state", equalTo("pending"))
            .body("action", equalTo("remoteLock"))
            .body("initiatedBy", equalTo("alice@example.com"))
            .extract()
            .path("id");

    String pin =
        asAdmin()
            .get("/api/v1/devices/" + mac.id() + "/secrets")
            .then()
            .statusCode(200)
            .body("recoveryPin.value", matchesPattern("\\d{6}"))
            .body(
                "recoveryPin.keySet()",
                containsInAnyOrder("kind", "value", "actionId", "issuedAt", "expiresAt"))
            .body("recoveryPin.actionId", equalTo(actionId))
            .body("temporaryPasscode", nullValue())
            .extract()
            .path("recoveryPin.value");

    asDevice(mac)
        .post("/agent/v1/checkin")
        .then()
        .statusCode(200)
        .body("commands[0].keySet()", containsInAnyOrder("actionId", "action", "issuedAt", "pin"))
        .body("commands", hasSize(1))
        .body("commands[0].actionId", equalTo(actionId))
        .body("commands[0].pin", equalTo(pin));
    asDevice(mac).post("/agent/v1/checkin").then().statusCode(200).body("commands", hasSize(0));
    asAdmin().get("/api/v1/device-actions/" + actionId).then().body("state", equalTo("active"));
  }

  @Test
  void aSecondMacLockWaitsUntilThePinWasUsed() {
    EnrolledDevice mac = Api.mac();
    String first =
        asAdmin()
            .post("/api/v1/devices/" + mac.id() + "/remoteLock")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    asAdmin()
        .post("/api/v1/devices/" + mac.id() + "/remoteLock")
        .then()
        .statusCode(409)
        .body("code", equalTo("recoveryPinOutstanding"));

    asDevice(mac).post("/agent/v1/checkin").then().statusCode(200);
    asDevice(mac)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "done"))
        .post("/agent/v1/actions/" + first + "/result")
        .then()
        .statusCode(204);
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(409);

    asDevice(mac)
        .contentType(ContentType.JSON)
        .body(Map.of("type", "unlockedWithRecoveryPin"))
        .post("/agent/v1/events")
        .then()
        .statusCode(204);
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);
  }

  @Test
  void canceledOrFailedLockLiftsTheGuard() {
    EnrolledDevice mac = Api.mac();
    String lock = Api.request(mac, "remoteLock");
    asAdmin()
        .post("/api/v1/device-actions/" + lock + "/cancel")
        .then()
        .statusCode(200)
        .body("state", equalTo("canceled"));
    asAdmin()
        .post("/api/v1/device-actions/" + lock + "/cancel")
        .then()
        .statusCode(409)
        .body("code", equalTo("actionNotCancelable"));

    String second =
        asAdmin()
            .post("/api/v1/devices/" + mac.id() + "/remoteLock")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    asDevice(mac).post("/agent/v1/checkin");
    asDevice(mac)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "failed", "detail", "locked out"))
        .post("/agent/v1/actions/" + second + "/result")
        .then()
        .statusCode(204);
    asAdmin()
        .get("/api/v1/device-actions/" + second)
        .then()
        .body("state", equalTo("failed"))
        .body("failureReason", equalTo("deviceError"));
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);
  }

  @Test
  void fiftyConcurrentMacLocksGiveExactlyOne202() throws Exception {
    EnrolledDevice mac = Api.mac();
    String token = Api.token("alice@example.com", "admin");
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(
          () ->
              io.restassured.RestAssured.given()
                  .auth()
                  .oauth2(token)
                  .post("/api/v1/devices/" + mac.id() + "/remoteLock")
                  .statusCode());
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(calls)) {
      statuses.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
    assertEquals(49, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
  }

  @Test
  void unsupportedActionIs422WithTheReasonAndStoresOnlyTheAuditEvent() {
    EnrolledDevice mac = Api.mac();
    asAdmin()
        .post("/api/v1/devices/" + mac.id() + "/rebootNow")
        .then()
        .statusCode(422)
        .body("code", equalTo("actionNotSupported"))
        .body("reason", equalTo("platform"));
    EnrolledDevice iphone = Api.enroll(Map.of("platform", "iOS", "osVersion", "17.4"));
    asAdmin()
        .post("/api/v1/devices/" + iphone.id() + "/rebootNow")
        .then()
        .statusCode(422)
        .body("reason", equalTo("notSupervised"));

    asAdmin()
        .queryParam("deviceId", mac.id())
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(0));
    asAdmin()
        .queryParam("deviceId", mac.id())
        .queryParam("activity", "actionRequested")
        .get("/api/v1/audit-events")
        .then()
        .body("items", hasSize(1))
        .body("items[0].outcome", equalTo("actionNotSupported"))
        .body("items[0].detail", equalTo("rebootNow: platform"));
  }

  @Test
  void eachActionHasItsEndpointAndRole() {
    EnrolledDevice phone =
        Api.enroll(Map.of("platform", "windowsPhone", "osVersion", "10.0.15063"));
    EnrolledDevice ipad =
        Api.enroll(Map.of("platform", "iPadOS", "osVersion", "17.4", "supervised", true));
    as("actions.resetPin")
        .post("/api/v1/devices/" + phone.id() + "/resetPin")
        .then()
        .statusCode(202);
    as("actions.resetPasscode")
        .post("/api/v1/devices/" + ipad.id() + "/resetPasscode")
        .then()
        .statusCode(202);
    as("actions.removePasscode")
        .post("/api/v1/devices/" + ipad.id() + "/removePasscode")
        .then()
        .statusCode(202);
    as("actions.rebootNow")
        .post("/api/v1/devices/" + ipad.id() + "/rebootNow")
        .then()
        .statusCode(202);
    as("actions.remoteLock")
        .post("/api/v1/devices/" + phone.id() + "/remoteLock")
        .then()
        .statusCode(202);
    as("actions.remoteLock")
        .post("/api/v1/devices/" + ipad.id() + "/rebootNow")
        .then()
        .statusCode(403);
    asAdmin()
        .post("/api/v1/devices/" + UUID.randomUUID() + "/rebootNow")
        .then()
        .statusCode(404)
        .body("code", equalTo("deviceNotFound"));
  }

  @Test
  void resetPasscodeShowsTheNewPasscodeUntilAnotherActionIsSent() {
    EnrolledDevice ipad =
        Api.enroll(Map.of("platform", "iPadOS", "osVersion", "17.4", "supervised", true));
    String reset = Api.request(ipad, "resetPasscode");
    String passcode =
        asAdmin()
            .get("/api/v1/devices/" + ipad.id() + "/secrets")
            .then()
            .body("temporaryPasscode.value", matchesPattern("\\d{8}"))
            .extract()
            .path("temporaryPasscode.value");
    asDevice(ipad).post("/agent/v1/checkin").then().body("commands[0].passcode", equalTo(passcode));
    asAdmin()
        .get("/api/v1/devices/" + ipad.id())
        .then()
        .body("temporaryPasscodeAvailable", equalTo(true));

    asAdmin().post("/api/v1/devices/" + ipad.id() + "/rebootNow").then().statusCode(202);
    asAdmin()
        .get("/api/v1/devices/" + ipad.id() + "/secrets")
        .then()
        .body("temporaryPasscode", nullValue());
    asAdmin()
        .get("/api/v1/device-actions/" + reset + "/secret")
        .then()
        .statusCode(200)
        .body("value", equalTo(passcode));
    as("devices.read").get("/api/v1/device-actions/" + reset + "/secret").then().statusCode(403);
  }

  @Test
  void windowsMobileReturnsTheNewPinInItsResult() {
    EnrolledDevice phone =
        Api.enroll(Map.of("platform", "windowsPhone", "osVersion", "10.0.14393"));
    String reset = Api.request(phone, "resetPin");
    asDevice(phone).post("/agent/v1/checkin").then().body("commands[0].pin", nullValue());
    asDevice(phone)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "done", "newPin", "4821"))
        .post("/agent/v1/actions/" + reset + "/result")
        .then()
        .statusCode(204);
    asAdmin()
        .get("/api/v1/devices/" + phone.id() + "/secrets")
        .then()
        .body("temporaryPasscode.value", equalTo("4821"));
  }

  @Test
  void resultsFollowTheLifecycleAndFinalStatesNeverChange() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    asDevice(windows).post("/agent/v1/checkin").then().body("commands", hasSize(1));
    result(windows, reboot, "notNow").statusCode(204);
    asAdmin()
        .get("/api/v1/device-actions/" + reboot)
        .then()
        .body("state", equalTo("pending"))
        .body("notNowCount", equalTo(1));
    asDevice(windows).post("/agent/v1/checkin").then().body("commands", hasSize(1));
    result(windows, reboot, "done").statusCode(204);
    result(windows, reboot, "done").statusCode(204);
    result(windows, reboot, "failed")
        .statusCode(409)
        .body("code", equalTo("actionAlreadyCompleted"));
    asAdmin()
        .get("/api/v1/device-actions/" + reboot)
        .then()
        .body("state", equalTo("done"))
        .body("completedAt", notNullValue());
  }

  @Test
  void aDeviceSeesAndAnswersOnlyItsOwnActions() {
    EnrolledDevice mine = Api.windows();
    EnrolledDevice other = Api.windows();
    String reboot = Api.request(mine, "rebootNow");
    asDevice(other).post("/agent/v1/checkin").then().body("commands", hasSize(0));
    result(other, reboot, "done").statusCode(404).body("code", equalTo("actionNotFound"));
    asAdmin()
        .contentType(ContentType.JSON)
        .body(Map.of("status", "done"))
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(401);
  }

  @Test
  void idempotencyKeyReturnsTheOriginalActionAndRefusesReuseElsewhere() {
    EnrolledDevice windows = Api.windows();
    EnrolledDevice other = Api.windows();
    String key = UUID.randomUUID().toString();
    String first =
        asAdmin()
            .header("Idempotency-Key", key)
            .post("/api/v1/devices/" + windows.id() + "/rebootNow")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    asAdmin()
        .header("Idempotency-Key", key)
        .post("/api/v1/devices/" + windows.id() + "/rebootNow")
        .then()
        .statusCode(202)
        .body("id", equalTo(first));
    asAdmin()
        .header("Idempotency-Key", key)
        .post("/api/v1/devices/" + other.id() + "/rebootNow")
        .then()
        .statusCode(422)
        .body("code", equalTo("idempotencyKeyReused"));
    asAdmin()
        .header("Idempotency-Key", "k".repeat(201))
        .post("/api/v1/devices/" + windows.id() + "/rebootNow")
        .then()
        .statusCode(400);
    asAdmin()
        .queryParam("deviceId", windows.id())
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(1));
  }

  @Test
  void bulkSortsDevicesIntoTheGraphShape() {
    EnrolledDevice a = Api.windows();
    EnrolledDevice b = Api.android("fullyManaged", "9");
    EnrolledDevice mac = Api.mac();
    String missing = UUID.randomUUID().toString();
    String bulkId =
        asAdmin()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "action", "rebootNow", "deviceIds", List.of(a.id(), b.id(), mac.id(), missing)))
            .post("/api/v1/device-actions/bulk")
            .then()
            .statusCode(200)
            .body("successfulDeviceIds", org.hamcrest.Matchers.containsInAnyOrder(a.id(), b.id()))
            .body("notSupportedDeviceIds", org.hamcrest.Matchers.contains(mac.id()))
            .body("notFoundDeviceIds", org.hamcrest.Matchers.contains(missing))
            .body("failedDeviceIds", hasSize(0))
            .extract()
            .path("bulkActionId");
    asAdmin()
        .queryParam("bulkActionId", bulkId)
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(2));
    as("actions.remoteLock")
        .contentType(ContentType.JSON)
        .body(Map.of("action", "rebootNow", "deviceIds", List.of(a.id())))
        .post("/api/v1/device-actions/bulk")
        .then()
        .statusCode(403);
    asAdmin()
        .contentType(ContentType.JSON)
        .body(Map.of("action", "rebootNow", "deviceIds", List.of()))
        .post("/api/v1/device-actions/bulk")
        .then()
        .statusCode(400);
  }

  @Test
  void noPinOrPasscodeIsStoredInClearText() {
    EnrolledDevice mac = Api.mac();
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);
    String pin = Api.secret(mac, "recoveryPin.value");
    for (Row row : database.query("select * from action_secret").execute().await().indefinitely()) {
      byte[] stored =
          row.getBuffer("ciphertext") == null
              ? new byte[0]
              : row.getBuffer("ciphertext").getBytes();
      assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains(pin));
    }
    String dump =
        database
                .query(
                    "select string_agg(t::text, ' ') as all from (select * from device_action) t")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("all")
            + database
                .query("select string_agg(t::text, ' ') as all from (select * from audit_event) t")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("all");
    assertFalse(dump.contains(pin));
  }

  private static io.restassured.response.ValidatableResponse result(
      EnrolledDevice d, String actionId, String status) {
    return asDevice(d)
        .contentType(ContentType.JSON)
        .body(Map.of("status", status))
        .post("/agent/v1/actions/" + actionId + "/result")
        .then();
  }
}
