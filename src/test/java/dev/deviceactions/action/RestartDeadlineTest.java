package dev.deviceactions.action;

import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.ShortDurations;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A restart not done within its timeout (five seconds here) reads as failed with failureReason
 * timedOut on every read path at once; the in-process sweep is off in tests, so nothing but the
 * read does it. The sweep then writes down what the reads showed.
 */
@QuarkusTest
@TestProfile(ShortDurations.class)
class RestartDeadlineTest {
  private static final Duration TIMEOUT = ShortDurations.LIFETIME;
  private final Pool database = TestDatabase.pool();

  @Test
  void aPendingRestartPastItsDeadlineReadsAsFailedEverywhereBeforeAnySweep() throws Exception {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");

    Thread.sleep(TIMEOUT.plusMillis(500).toMillis());

    assertEquals("pending", storedState(reboot), "no sweep has run");
    readsAsTimedOutEverywhere(windows, reboot);
  }

  @Test
  void aDeliveredRestartPastItsDeadlineReadsAsFailedEverywhereBeforeAnySweep() throws Exception {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    asDevice(windows)
        .post("/agent/v1/checkin")
        .then()
        .body("commands[0].actionId", equalTo(reboot));

    Thread.sleep(TIMEOUT.plusMillis(500).toMillis());

    assertEquals("active", storedState(reboot), "no sweep has run");
    readsAsTimedOutEverywhere(windows, reboot);
  }

  @Test
  void theSweepRecordsWhatTheReadsShowed() throws Exception {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    Thread.sleep(TIMEOUT.plusMillis(500).toMillis());
    Map<String, Object> before = view(reboot);

    asAdmin()
        .post("/api/v1/maintenance/sweep")
        .then()
        .statusCode(200)
        .body("timedOutRestarts", greaterThanOrEqualTo(1));

    assertEquals("failed", storedState(reboot));
    assertEquals(before, view(reboot));
    asAdmin()
        .queryParam("deviceId", windows.id())
        .queryParam("activity", "actionTimedOut")
        .get("/api/v1/audit-events")
        .then()
        .body("items[0].actionId", equalTo(reboot));
  }

  @Test
  void anOverdueRestartCanNoLongerBeCanceled() throws Exception {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    Thread.sleep(TIMEOUT.plusMillis(500).toMillis());

    asAdmin()
        .post("/api/v1/device-actions/" + reboot + "/cancel")
        .then()
        .statusCode(409)
        .body("code", equalTo("actionNotCancelable"));
    assertEquals("failed", view(reboot).get("state"));
  }

  @Test
  void aRestartWithinItsDeadlineStillReadsAsPending() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");

    asAdmin().get("/api/v1/device-actions/" + reboot).then().body("state", equalTo("pending"));
    statusView(windows, "pending").body("items.id", hasItem(reboot));
    statusView(windows, "failed").body("items.id", not(hasItem(reboot)));
  }

  private void readsAsTimedOutEverywhere(EnrolledDevice windows, String reboot) {
    Map<String, Object> action = view(reboot);
    assertEquals("failed", action.get("state"));
    assertEquals("timedOut", action.get("failureReason"));
    Instant deadline = Instant.parse((String) action.get("requestedAt")).plus(TIMEOUT);
    assertEquals(deadline, Instant.parse((String) action.get("completedAt")));
    assertEquals(deadline, Instant.parse((String) action.get("lastUpdatedAt")));

    statusView(windows, "failed").body("items.id", hasItem(reboot));
    statusView(windows, "pending").body("items.id", not(hasItem(reboot)));
    statusView(windows, "active").body("items.id", not(hasItem(reboot)));
    statusView(windows, null)
        .body("items.find { it.id == '" + reboot + "' }.state", equalTo("failed"));

    asAdmin()
        .get("/api/v1/devices/" + windows.id())
        .then()
        .body("latestAction.id", equalTo(reboot))
        .body("latestAction.state", equalTo("failed"))
        .body("latestAction.failureReason", equalTo("timedOut"));

    asAdmin()
        .get("/graph/v1.0/deviceManagement/managedDevices/" + windows.id())
        .then()
        .statusCode(200)
        .body(
            "deviceActionResults.find { it.actionName == 'rebootNow' }.actionState",
            equalTo("failed"));
    asAdmin()
        .queryParam(
            "$filter", "managedDeviceId eq '" + windows.id() + "' and actionState eq 'failed'")
        .get("/graph/beta/deviceManagement/remoteActionAudits")
        .then()
        .statusCode(200)
        .body("value.id", hasItem(reboot));
    asAdmin()
        .queryParam(
            "$filter", "managedDeviceId eq '" + windows.id() + "' and actionState eq 'pending'")
        .get("/graph/beta/deviceManagement/remoteActionAudits")
        .then()
        .statusCode(200)
        .body("value.id", not(hasItem(reboot)));
  }

  private static Map<String, Object> view(String actionId) {
    return asAdmin()
        .get("/api/v1/device-actions/" + actionId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getMap("");
  }

  private static io.restassured.response.ValidatableResponse statusView(
      EnrolledDevice device, String state) {
    var request = asAdmin().queryParam("deviceId", device.id());
    if (state != null) {
      request.queryParam("state", state);
    }
    return request.get("/api/v1/device-actions").then().statusCode(200);
  }

  private String storedState(String actionId) {
    return database
        .preparedQuery("select state from device_action where id = $1")
        .execute(Tuple.of(UUID.fromString(actionId)))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getString(0);
  }
}
