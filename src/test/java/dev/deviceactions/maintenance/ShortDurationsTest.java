package dev.deviceactions.maintenance;

import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.Approvals;
import dev.deviceactions.support.ShortDurations;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Durations of a few seconds work, so expiry and timeouts happen in real time. */
@QuarkusTest
@TestProfile(ShortDurations.class)
class ShortDurationsTest {

  @Test
  void pinsExpireAndRestartsTimeOutInRealTime() throws InterruptedException {
    EnrolledDevice mac = Api.mac();
    EnrolledDevice windows = Api.windows();
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);
    String reboot = Api.request(windows, "rebootNow");
    asAdmin()
        .get("/api/v1/devices/" + mac.id() + "/secrets")
        .then()
        .body("recoveryPin.value", matchesPattern("\\d{6}"));
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(409);

    Thread.sleep(ShortDurations.PAST_LIFETIME_MILLIS);

    asAdmin()
        .get("/api/v1/devices/" + mac.id() + "/secrets")
        .then()
        .body("recoveryPin", nullValue());
    asAdmin().post("/api/v1/devices/" + mac.id() + "/remoteLock").then().statusCode(202);
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "done"))
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(409);
    asAdmin().post("/api/v1/maintenance/sweep").then().statusCode(200);
    asAdmin()
        .get("/api/v1/device-actions/" + reboot)
        .then()
        .body("failureReason", equalTo("timedOut"));
  }

  @Test
  void graphsUnlockPinIsNullOnceExpired() throws InterruptedException {
    EnrolledDevice mac = Api.mac();
    String device = "/graph/v1.0/deviceManagement/managedDevices/" + mac.id();
    asAdmin().post(device + "/remoteLock").then().statusCode(204);
    asAdmin().get(device).then().body("deviceActionResults[0].unlockPin", matchesPattern("\\d{6}"));

    Thread.sleep(ShortDurations.PAST_LIFETIME_MILLIS);

    asAdmin().get(device).then().body("deviceActionResults[0].unlockPin", nullValue());
  }

  @Test
  void anUndecidedApprovalRequestReadsExpiredOnceItsTimeHasPassedSweepOrNot()
      throws InterruptedException {
    EnrolledDevice pc = Api.windows();
    Approvals.policy("Restarts need two", java.util.List.of("rebootNow"), 1);
    try {
      String request = Approvals.held(pc, "rebootNow");
      String expiresAt =
          Approvals.alice().get("/api/v1/approval-requests/" + request).path("expiresAt");

      Thread.sleep(ShortDurations.PAST_LIFETIME_MILLIS);

      Approvals.alice()
          .get("/api/v1/approval-requests/" + request)
          .then()
          .body("status", equalTo("expired"))
          .body("decidedAt", equalTo(expiresAt));
      assertEquals(
          "expired",
          Approvals.alice()
              .queryParam("status", "expired")
              .queryParam("requestedBy", Approvals.ALICE)
              .get("/api/v1/approval-requests")
              .path("items.find { it.id == '" + request + "' }.status"));
      Approvals.alice()
          .queryParam("status", "needsApproval")
          .queryParam("requestedBy", Approvals.ALICE)
          .get("/api/v1/approval-requests")
          .then()
          .body("items.id", not(hasItem(request)));
      Approvals.decide(Approvals.bob(), request, "approve")
          .then()
          .statusCode(409)
          .body("code", equalTo("approvalRequestNotOpen"));
      asAdmin().get("/api/v1/devices/" + pc.id()).then().body("latestAction", nullValue());

      asAdmin().post("/api/v1/maintenance/sweep").then().statusCode(200);
      Approvals.alice()
          .get("/api/v1/approval-requests/" + request)
          .then()
          .body("status", equalTo("expired"))
          .body("decidedAt", equalTo(expiresAt));
      asAdmin()
          .queryParam("activity", "approvalExpired")
          .get("/api/v1/audit-events")
          .then()
          .body("items.detail", hasItem("request " + request + ": rebootNow"));
    } finally {
      Approvals.removeAllPolicies();
    }
  }
}
