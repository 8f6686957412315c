package dev.deviceactions.approval;

import static dev.deviceactions.support.Approvals.ALICE;
import static dev.deviceactions.support.Approvals.BOB;
import static dev.deviceactions.support.Approvals.alice;
import static dev.deviceactions.support.Approvals.bob;
import static dev.deviceactions.support.Approvals.decide;
import static dev.deviceactions.support.Approvals.held;
import static dev.deviceactions.support.Approvals.policy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.Approvals;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-admin approval (api.md "Multi-admin approval"): policies, covered requests, decisions by
 * another administrator, and the operation run as its requester's.
 */
@QuarkusTest
class ApprovalsTest {

  @AfterEach
  void noPolicyOutlivesItsTest() {
    Approvals.removeAllPolicies();
  }

  @Test
  void aPolicyTakesEffectAtOnceAndACoveredRequestCreatesNoAction() {
    EnrolledDevice mac = Api.mac();
    EnrolledDevice pc = Api.windows();
    String id = policy("Locks need two", List.of("remoteLock"), 1);
    alice()
        .get("/api/v1/approval-policies/" + id)
        .then()
        .statusCode(200)
        .body("displayName", equalTo("Locks need two"))
        .body("actions", equalTo(List.of("remoteLock")))
        .body("minimumDevices", equalTo(1))
        .body("createdBy", equalTo(ALICE));
    alice().get("/api/v1/approval-policies").then().body("id", hasItem(id));

    alice()
        .post("/api/v1/devices/" + mac.id() + "/remoteLock")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("code", equalTo("justificationRequired"));
    Response held =
        alice()
            .contentType(ContentType.JSON)
            .body(Map.of("message", "Call IT", "justification", "stolen laptop, ticket 4711"))
            .post("/api/v1/devices/" + mac.id() + "/remoteLock");
    held.then()
        .statusCode(202)
        .header("Location", matchesPattern(".*/api/v1/approval-requests/[0-9a-f-]{36}"))
        .body("approvalRequest.status", equalTo("needsApproval"))
        .body("approvalRequest.action", equalTo("remoteLock"))
        .body("approvalRequest.deviceIds", equalTo(List.of(mac.id())))
        .body("approvalRequest.requestedBy", equalTo(ALICE))
        .body("approvalRequest.justification", equalTo("stolen laptop, ticket 4711"))
        .body("approvalRequest.decidedBy", nullValue())
        .body("approvalRequest.result", nullValue());
    Instant requested = Instant.parse(held.path("approvalRequest.requestedAt"));
    Instant expires = Instant.parse(held.path("approvalRequest.expiresAt"));
    assertEquals(Duration.ofHours(24), Duration.between(requested, expires));
    Api.asAdmin().get("/api/v1/devices/" + mac.id()).then().body("latestAction", nullValue());
    alice()
        .get(held.header("Location"))
        .then()
        .statusCode(200)
        .body("status", equalTo("needsApproval"));

    // rebootNow is not covered: it runs at once, and its justification is accepted and ignored.
    alice()
        .contentType(ContentType.JSON)
        .body(Map.of("justification", "not needed"))
        .post("/api/v1/devices/" + pc.id() + "/rebootNow")
        .then()
        .statusCode(202)
        .body("action", equalTo("rebootNow"))
        .body("state", equalTo("pending"));
  }

  @Test
  void anotherAdministratorsApprovalRunsTheActionAsTheRequesters() {
    EnrolledDevice mac = Api.mac();
    policy("Locks need two", List.of("remoteLock"), 1);
    String request = held(mac, "remoteLock");

    Response approved = decide(bob(), request, "approve");
    approved
        .then()
        .statusCode(200)
        .body("status", equalTo("completed"))
        .body("decidedBy", equalTo(BOB))
        .body("decisionJustification", equalTo("checked with the user"))
        .body("decidedAt", notNullValue())
        .body("result.actionIds", hasSize(1));
    String action = approved.path("result.actionIds[0]");
    Api.asAdmin()
        .get("/api/v1/device-actions/" + action)
        .then()
        .body("action", equalTo("remoteLock"))
        .body("deviceId", equalTo(mac.id()))
        .body("initiatedBy", equalTo(ALICE))
        .body("state", equalTo("pending"));
    assertTrue(Api.secret(mac, "recoveryPin.value").matches("\\d{6}"), "the lock has its PIN");
    alice().get("/api/v1/approval-requests/" + request).then().body("status", equalTo("completed"));

    List<String> steps =
        Api.asAdmin()
            .queryParam("deviceId", mac.id())
            .get("/api/v1/audit-events")
            .then()
            .extract()
            .path("items.activity");
    for (String step : List.of("approvalRequested", "approvalApproved", "actionRequested")) {
      assertTrue(steps.contains(step), step + " is audited: " + steps);
    }
    Api.asAdmin()
        .queryParam("activity", "approvalCompleted")
        .queryParam("actor", ALICE)
        .get("/api/v1/audit-events")
        .then()
        .body("items.detail", hasItem("request " + request + ": remoteLock"));
  }

  @Test
  void theRequesterMayNotDecideTheirOwnRequestWhateverTheirRoles() {
    EnrolledDevice mac = Api.mac();
    policy("Locks need two", List.of("remoteLock"), 1);
    String request = held(mac, "remoteLock");
    for (String decision : List.of("approve", "reject")) {
      decide(alice(), request, decision)
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("code", equalTo("selfApprovalForbidden"));
    }
    alice()
        .get("/api/v1/approval-requests/" + request)
        .then()
        .body("status", equalTo("needsApproval"));
    Api.asAdmin().get("/api/v1/devices/" + mac.id()).then().body("latestAction", nullValue());
  }

  @Test
  void aRejectedOrCancelledRequestIsClosedAndRunsNothing() {
    EnrolledDevice mac = Api.mac();
    EnrolledDevice other = Api.mac();
    policy("Locks need two", List.of("remoteLock"), 1);
    String rejected = held(mac, "remoteLock");
    decide(bob(), rejected, "reject")
        .then()
        .statusCode(200)
        .body("status", equalTo("rejected"))
        .body("decidedBy", equalTo(BOB))
        .body("result", nullValue());
    decide(bob(), rejected, "approve")
        .then()
        .statusCode(409)
        .body("code", equalTo("approvalRequestNotOpen"));

    String cancelled = held(other, "remoteLock");
    bob()
        .post("/api/v1/approval-requests/" + cancelled + "/cancel")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    alice()
        .post("/api/v1/approval-requests/" + cancelled + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("cancelled"))
        .body("decidedBy", equalTo(ALICE));
    alice()
        .post("/api/v1/approval-requests/" + cancelled + "/cancel")
        .then()
        .statusCode(409)
        .body("code", equalTo("approvalRequestNotOpen"));
    decide(bob(), cancelled, "approve").then().statusCode(409);
    for (EnrolledDevice d : List.of(mac, other)) {
      Api.asAdmin().get("/api/v1/devices/" + d.id()).then().body("latestAction", nullValue());
    }
  }

  @Test
  void theRulesAsTheyAreAtApprovalDecideAndARefusalIsTheResult() {
    EnrolledDevice mac = Api.mac();
    policy("Locks need two", List.of("remoteLock"), 1);
    String first = held(mac, "remoteLock");
    String second = held(mac, "remoteLock");
    decide(bob(), first, "approve").then().statusCode(200).body("result.actionIds", hasSize(1));

    // The first lock's PIN is outstanding now: the second is refused when it runs.
    decide(bob(), second, "approve")
        .then()
        .statusCode(200)
        .body("status", equalTo("completed"))
        .body("result.code", equalTo("recoveryPinOutstanding"))
        .body("result.detail", notNullValue())
        .body("result.actionIds", nullValue());
    Api.asAdmin()
        .queryParam("deviceId", mac.id())
        .queryParam("action", "remoteLock")
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(1));
  }

  @Test
  void aBulkRequestOfAtLeastMinimumDevicesIsHeldAndItsApprovalGivesTheBulkAnswer() {
    EnrolledDevice a = Api.windows();
    EnrolledDevice b = Api.windows();
    EnrolledDevice mac = Api.mac();
    policy("Fleet restarts need two", List.of("rebootNow"), 3);

    // Two devices, and one device alone: below the threshold, run at once.
    bulk(List.of(a.id(), b.id()), null)
        .then()
        .statusCode(200)
        .body("successfulDeviceIds", hasSize(2));
    Api.request(a, "rebootNow");

    bulk(List.of(a.id(), b.id(), mac.id()), null)
        .then()
        .statusCode(422)
        .body("code", equalTo("justificationRequired"));
    Response held = bulk(List.of(a.id(), b.id(), mac.id(), a.id()), "patch night");
    held.then()
        .statusCode(202)
        .header("Location", matchesPattern(".*/api/v1/approval-requests/[0-9a-f-]{36}"))
        .body("approvalRequest.action", equalTo("rebootNow"))
        .body("approvalRequest.deviceIds", equalTo(List.of(a.id(), b.id(), mac.id())));
    decide(bob(), held.path("approvalRequest.id"), "approve")
        .then()
        .statusCode(200)
        .body("status", equalTo("completed"))
        .body("result.bulkActionId", notNullValue())
        .body("result.successfulDeviceIds", equalTo(List.of(a.id(), b.id())))
        .body("result.notSupportedDeviceIds", equalTo(List.of(mac.id())));
    String bulkId =
        alice().get(held.header("Location")).then().extract().path("result.bulkActionId");
    Api.asAdmin()
        .queryParam("bulkActionId", bulkId)
        .get("/api/v1/device-actions")
        .then()
        .body("items.initiatedBy", equalTo(List.of(ALICE, ALICE)));
  }

  @Test
  void changingOrDeletingAPolicyNeedsAnotherAdministrator() {
    EnrolledDevice pc = Api.windows();
    String id = policy("Restarts need two", List.of("rebootNow"), 1);

    Response change =
        alice()
            .contentType(ContentType.JSON)
            .body(Map.of("minimumDevices", 5, "justification", "single restarts are routine"))
            .patch("/api/v1/approval-policies/" + id);
    change
        .then()
        .statusCode(202)
        .body("approvalRequest.action", equalTo("updateApprovalPolicy"))
        .body("approvalRequest.policyId", equalTo(id))
        .body("approvalRequest.policyChange.minimumDevices", equalTo(5))
        .body("approvalRequest.deviceIds", hasSize(0));
    alice().get("/api/v1/approval-policies/" + id).then().body("minimumDevices", equalTo(1));
    String changeId = change.path("approvalRequest.id");
    decide(alice(), changeId, "approve").then().statusCode(403);
    decide(bob(), changeId, "approve")
        .then()
        .statusCode(200)
        .body("status", equalTo("completed"))
        .body("result.policy.minimumDevices", equalTo(5));
    alice().get("/api/v1/approval-policies/" + id).then().body("minimumDevices", equalTo(5));
    Api.request(pc, "rebootNow");

    alice()
        .delete("/api/v1/approval-policies/" + id)
        .then()
        .statusCode(422)
        .body("code", equalTo("justificationRequired"));
    String delete =
        alice()
            .contentType(ContentType.JSON)
            .body(Map.of("justification", "no longer needed"))
            .delete("/api/v1/approval-policies/" + id)
            .then()
            .statusCode(202)
            .body("approvalRequest.action", equalTo("deleteApprovalPolicy"))
            .extract()
            .path("approvalRequest.id");
    alice().get("/api/v1/approval-policies").then().body("id", hasItem(id));
    decide(bob(), delete, "approve")
        .then()
        .statusCode(200)
        .body("result.deletedPolicyId", equalTo(id));
    alice().get("/api/v1/approval-policies").then().body("id", not(hasItem(id)));
    alice()
        .get("/api/v1/approval-policies/" + id)
        .then()
        .statusCode(404)
        .body("code", equalTo("approvalPolicyNotFound"));
  }

  @Test
  void theListShowsRequestsNewestFirstByStatusAndRequester() {
    EnrolledDevice mac = Api.mac();
    EnrolledDevice other = Api.mac();
    policy("Locks need two", List.of("remoteLock"), 1);
    String open = held(mac, "remoteLock");
    String rejected = held(other, "remoteLock");
    decide(bob(), rejected, "reject").then().statusCode(200);

    List<String> needs =
        alice()
            .queryParam("status", "needsApproval")
            .queryParam("requestedBy", ALICE)
            .get("/api/v1/approval-requests")
            .then()
            .statusCode(200)
            .extract()
            .path("items.id");
    assertTrue(needs.contains(open) && !needs.contains(rejected), needs.toString());
    List<String> mine =
        alice()
            .queryParam("requestedBy", ALICE)
            .queryParam("limit", 1)
            .get("/api/v1/approval-requests")
            .then()
            .body("items", hasSize(1))
            .body("nextCursor", notNullValue())
            .extract()
            .path("items.id");
    assertEquals(List.of(rejected), mine, "newest first");
    String cursor =
        alice()
            .queryParam("requestedBy", ALICE)
            .queryParam("limit", 1)
            .get("/api/v1/approval-requests")
            .path("nextCursor");
    alice()
        .queryParam("requestedBy", ALICE)
        .queryParam("limit", 1)
        .queryParam("cursor", cursor)
        .get("/api/v1/approval-requests")
        .then()
        .body("items[0].id", equalTo(open));
  }

  @Test
  void eachStepNeedsItsRole() {
    EnrolledDevice mac = Api.mac();
    Api.as("devices.read")
        .contentType(ContentType.JSON)
        .body(Map.of("displayName", "x", "actions", List.of("remoteLock"), "minimumDevices", 1))
        .post("/api/v1/approval-policies")
        .then()
        .statusCode(403);
    Api.as("devices.read").get("/api/v1/approval-policies").then().statusCode(403);
    Api.as("devices.read").get("/api/v1/approval-requests").then().statusCode(403);
    Api.as("approvals.read").get("/api/v1/approval-requests").then().statusCode(200);
    policy("Locks need two", List.of("remoteLock"), 1);
    String request = held(mac, "remoteLock");
    decide(Api.as("approvals.read"), request, "approve").then().statusCode(403);
    // approvals.approve is enough to decide: the operation runs with the requester's roles.
    decide(Api.as("approvals.approve"), request, "approve").then().statusCode(200);
    io.restassured.RestAssured.given()
        .get("/api/v1/approval-requests/" + request)
        .then()
        .statusCode(401);
  }

  @Test
  void badInputIsAProblemAndChangesNothing() {
    EnrolledDevice mac = Api.mac();
    String id = policy("Locks need two", List.of("remoteLock"), 1);
    String request = held(mac, "remoteLock");
    for (String body :
        List.of(
            "{\"displayName\":\"x\",\"actions\":[\"wipe\"],\"minimumDevices\":1}",
            "{\"displayName\":\"x\",\"actions\":[\"remoteLock\"],\"minimumDevices\":0}",
            "{\"displayName\":\"x\",\"actions\":[],\"minimumDevices\":1}",
            "{\"displayName\":\" \",\"actions\":[\"remoteLock\"],\"minimumDevices\":1}",
            "{\"displayName\":\"x\",\"actions\":[\"remoteLock\"]}",
            "{\"displayName\":\"x\",\"actions\":\"remoteLock\",\"minimumDevices\":1}",
            "{\"displayName\":")) {
      alice()
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/v1/approval-policies")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("invalidRequest"));
    }
    alice()
        .contentType(ContentType.JSON)
        .body(Map.of("minimumDevices", 0, "justification", "x"))
        .patch("/api/v1/approval-policies/" + id)
        .then()
        .statusCode(400);
    alice()
        .contentType(ContentType.JSON)
        .body(Map.of("justification", "nothing"))
        .patch("/api/v1/approval-policies/" + id)
        .then()
        .statusCode(400);
    String tooLong = "j".repeat(501);
    alice()
        .contentType(ContentType.JSON)
        .body(Map.of("justification", tooLong))
        .post("/api/v1/devices/" + mac.id() + "/remoteLock")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("justification"));
    alice()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "action", "remoteLock", "deviceIds", List.of(mac.id()), "justification", tooLong))
        .post("/api/v1/device-actions/bulk")
        .then()
        .statusCode(400);
    decide(bob(), request, "reject")
        .then()
        .statusCode(200); // a valid decision closes it below; the bad ones before it change nothing
    String open = held(Api.mac(), "remoteLock");
    bob()
        .contentType(ContentType.JSON)
        .body(Map.of("justification", tooLong))
        .post("/api/v1/approval-requests/" + open + "/approve")
        .then()
        .statusCode(400);
    bob()
        .contentType(ContentType.JSON)
        .body("{not json")
        .post("/api/v1/approval-requests/" + open + "/approve")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    bob()
        .contentType(ContentType.TEXT)
        .body("approve it")
        .post("/api/v1/approval-requests/" + open + "/approve")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
    decide(bob(), "00000000-0000-0000-0000-000000000000", "approve")
        .then()
        .statusCode(404)
        .body("code", equalTo("approvalRequestNotFound"));
    alice().get("/api/v1/approval-requests/not-a-uuid").then().statusCode(400);
    alice().queryParam("status", "pending").get("/api/v1/approval-requests").then().statusCode(400);
    alice().queryParam("cursor", "x").get("/api/v1/approval-requests").then().statusCode(400);

    alice()
        .get("/api/v1/approval-requests/" + open)
        .then()
        .body("status", equalTo("needsApproval"));
    alice()
        .get("/api/v1/approval-policies")
        .then()
        .body("", hasSize(1))
        .body("[0].minimumDevices", equalTo(1));
  }

  private static Response bulk(List<String> devices, String justification) {
    Map<String, Object> body =
        justification == null
            ? Map.of("action", "rebootNow", "deviceIds", devices)
            : Map.of("action", "rebootNow", "deviceIds", devices, "justification", justification);
    return alice().contentType(ContentType.JSON).body(body).post("/api/v1/device-actions/bulk");
  }
}
