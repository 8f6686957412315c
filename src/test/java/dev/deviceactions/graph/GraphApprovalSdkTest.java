package dev.deviceactions.graph;

import static dev.deviceactions.support.Approvals.BOB;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.beta.devicemanagement.operationapprovalrequests.cancelmyrequest.CancelMyRequestPostRequestBody;
import com.microsoft.graph.beta.devicemanagement.operationapprovalrequests.item.approve.ApprovePostRequestBody;
import com.microsoft.graph.beta.devicemanagement.operationapprovalrequests.item.reject.RejectPostRequestBody;
import com.microsoft.graph.beta.models.OperationApprovalRequest;
import com.microsoft.graph.beta.models.OperationApprovalRequestStatus;
import com.microsoft.graph.beta.models.OperationApprovalSource;
import com.microsoft.graph.beta.models.odataerrors.ODataError;
import com.microsoft.graph.beta.serviceclient.GraphServiceClient;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.Approvals;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-admin approval through the official Graph beta SDK: a covered Graph action is held (202),
 * and operationApprovalRequests list, get, approve, reject and cancelMyRequest in Graph's shape.
 */
@QuarkusTest
class GraphApprovalSdkTest {
  /** A requester of this test alone, so that the open requests it lists are its own. */
  final String requester = "graph." + System.nanoTime() + "@example.com";

  GraphServiceClient alice;
  GraphServiceClient bob;

  @BeforeEach
  void clients() {
    alice = GraphBetaSdkTest.client(Api.token(requester, "admin"));
    bob = GraphBetaSdkTest.client(Api.token(BOB, "admin"));
  }

  @AfterEach
  void noPolicyOutlivesItsTest() {
    Approvals.removeAllPolicies();
  }

  @Test
  void aCoveredGraphLockIsHeldAndAnotherAdministratorApprovesIt() {
    EnrolledDevice mac = Api.mac();
    Approvals.policy("Locks need two", List.of("remoteLock"), 1);
    alice.deviceManagement().managedDevices().byManagedDeviceId(mac.id()).remoteLock().post();
    Api.asAdmin().get("/api/v1/devices/" + mac.id()).then().body("latestAction", equalTo(null));

    OperationApprovalRequest held = openRequestBy(requester);
    assertEquals(OperationApprovalRequestStatus.NeedsApproval, held.getStatus());
    assertEquals("requested through Microsoft Graph", held.getRequestJustification());
    assertEquals(requester, held.getRequestor().getUser().getDisplayName());
    assertNull(held.getApprover());
    assertTrue(held.getExpirationDateTime().isAfter(held.getRequestDateTime()));

    ODataError self =
        assertThrows(
            ODataError.class,
            () ->
                requests(alice)
                    .byOperationApprovalRequestId(held.getId())
                    .approve()
                    .post(approve()));
    assertEquals("selfApprovalForbidden", self.getError().getCode());
    assertEquals(403, self.getResponseStatusCode());

    String answer =
        requests(bob)
            .byOperationApprovalRequestId(held.getId())
            .approve()
            .post(approve())
            .getValue();
    assertEquals("completed", answer);
    OperationApprovalRequest done = requests(bob).byOperationApprovalRequestId(held.getId()).get();
    assertEquals(OperationApprovalRequestStatus.Completed, done.getStatus());
    assertEquals(BOB, done.getApprover().getUser().getDisplayName());
    assertEquals("the user called the service desk", done.getApprovalJustification());
    Api.asAdmin()
        .get("/api/v1/devices/" + mac.id())
        .then()
        .body("latestAction.action", equalTo("remoteLock"))
        .body("latestAction.initiatedBy", equalTo(requester));
  }

  @Test
  void rejectAndCancelMyRequest() {
    EnrolledDevice pc = Api.windows();
    EnrolledDevice other = Api.windows();
    Approvals.policy("Restarts need two", List.of("rebootNow"), 1);
    alice.deviceManagement().managedDevices().byManagedDeviceId(pc.id()).rebootNow().post();
    OperationApprovalRequest first = openRequestBy(requester);
    RejectPostRequestBody reject = new RejectPostRequestBody();
    reject.setJustification("not during office hours");
    reject.setApprovalSource(OperationApprovalSource.AdminConsole);
    assertEquals(
        "rejected",
        requests(bob).byOperationApprovalRequestId(first.getId()).reject().post(reject).getValue());
    ODataError closed =
        assertThrows(
            ODataError.class,
            () ->
                requests(bob)
                    .byOperationApprovalRequestId(first.getId())
                    .approve()
                    .post(approve()));
    assertEquals("approvalRequestNotOpen", closed.getError().getCode());

    alice.deviceManagement().managedDevices().byManagedDeviceId(other.id()).rebootNow().post();
    OperationApprovalRequest second = openRequestBy(requester);
    ODataError notMine =
        assertThrows(ODataError.class, () -> requests(bob).cancelMyRequest().post(cancel(second)));
    assertEquals(403, notMine.getResponseStatusCode());
    requests(alice).cancelMyRequest().post(cancel(second));
    assertEquals(
        OperationApprovalRequestStatus.Cancelled,
        requests(alice).byOperationApprovalRequestId(second.getId()).get().getStatus());
    for (EnrolledDevice d : List.of(pc, other)) {
      Api.asAdmin().get("/api/v1/devices/" + d.id()).then().body("latestAction", equalTo(null));
    }
  }

  @Test
  void aCoveredRequestAnswers202InGraphsShape() {
    EnrolledDevice pc = Api.windows();
    Approvals.policy("Restarts need two", List.of("rebootNow"), 2);
    Api.asAdmin()
        .post("/graph/v1.0/deviceManagement/managedDevices/" + pc.id() + "/rebootNow")
        .then()
        .statusCode(204);
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(Api.token(requester, "admin"))
        .contentType(ContentType.JSON)
        .body(Map.of("actionName", "rebootNow", "deviceIds", List.of(pc.id(), Api.windows().id())))
        .post("/graph/beta/deviceManagement/managedDevices/executeAction")
        .then()
        .statusCode(202)
        .header(
            "Location",
            endsWith(
                "/graph/beta/deviceManagement/operationApprovalRequests/"
                    + openRequestBy(requester).getId()))
        .body("'@odata.type'", equalTo("#microsoft.graph.operationApprovalRequest"))
        .body("status", equalTo("needsApproval"))
        .body("requestor.user.displayName", equalTo(requester))
        .body("requiredOperationApprovalPolicyTypes", equalTo(List.of("deviceAction")))
        .body("requestJustification", equalTo("requested through Microsoft Graph"));
  }

  private static com.microsoft.graph.beta.devicemanagement.operationapprovalrequests
          .OperationApprovalRequestsRequestBuilder
      requests(GraphServiceClient graph) {
    return graph.deviceManagement().operationApprovalRequests();
  }

  private OperationApprovalRequest openRequestBy(String requester) {
    List<OperationApprovalRequest> open =
        requests(bob)
            .get(r -> r.queryParameters.filter = "status eq 'needsApproval'")
            .getValue()
            .stream()
            .filter(r -> requester.equals(r.getRequestor().getUser().getDisplayName()))
            .toList();
    assertEquals(1, open.size(), "one open request by " + requester);
    return open.getFirst();
  }

  /** A body per call: the SDK's backing store sends only what changed since a body was sent. */
  private static CancelMyRequestPostRequestBody cancel(OperationApprovalRequest request) {
    CancelMyRequestPostRequestBody body = new CancelMyRequestPostRequestBody();
    body.setId(request.getId());
    return body;
  }

  private static ApprovePostRequestBody approve() {
    ApprovePostRequestBody body = new ApprovePostRequestBody();
    body.setJustification("the user called the service desk");
    body.setApprovalSource(OperationApprovalSource.AdminConsole);
    return body;
  }
}
