package dev.deviceactions.approval;

import static dev.deviceactions.support.Approvals.ALICE;
import static dev.deviceactions.support.Approvals.BOB;
import static dev.deviceactions.support.Approvals.held;
import static dev.deviceactions.support.Approvals.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.Approvals;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Decisions that race: approvals of one request sent at once run its operation exactly once, and a
 * cancel racing an approval leaves exactly one outcome. Each round fires both requests together.
 */
@QuarkusTest
class ApprovalRacesTest {
  static final int ROUNDS = 12;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void noPolicyOutlivesItsTest() {
    Approvals.removeAllPolicies();
  }

  @Test
  void twoApproversAtOnceRunTheOperationExactlyOnce() {
    policy("Restarts need two", List.of("rebootNow"), 1);
    String bob = Api.token(BOB, "admin");
    String carol = Api.token("carol.approvals@example.com", "admin");
    for (int round = 0; round < ROUNDS; round++) {
      EnrolledDevice pc = Api.windows();
      String request = held(pc, "rebootNow");
      List<Integer> statuses =
          together(post(request, "approve", bob), post(request, "approve", carol));
      assertEquals(List.of(200, 409), statuses.stream().sorted().toList(), "round " + round);
      assertEquals(1, actionsOf(pc), "round " + round + ": one restart");
    }
  }

  @Test
  void aCancelRacingAnApprovalLeavesOneOutcome() {
    policy("Restarts need two", List.of("rebootNow"), 1);
    String alice = Api.token(ALICE, "admin");
    String bob = Api.token(BOB, "admin");
    int completed = 0;
    for (int round = 0; round < ROUNDS; round++) {
      EnrolledDevice pc = Api.windows();
      String request = held(pc, "rebootNow");
      List<Integer> statuses =
          together(post(request, "approve", bob), post(request, "cancel", alice));
      String status =
          Approvals.alice()
              .get("/api/v1/approval-requests/" + request)
              .then()
              .extract()
              .path("status");
      if (statuses.equals(List.of(200, 409))) {
        completed++;
        assertEquals("completed", status, "round " + round);
        assertEquals(1, actionsOf(pc), "round " + round);
      } else {
        assertEquals(List.of(409, 200), statuses, "round " + round + ": one of them wins");
        assertEquals("cancelled", status, "round " + round);
        assertEquals(0, actionsOf(pc), "round " + round);
      }
    }
    System.out.println("approve vs cancel: " + completed + " of " + ROUNDS + " approved first");
  }

  private HttpRequest post(String request, String decision, String token) {
    return HttpRequest.newBuilder(
            URI.create(
                RestAssured.baseURI
                    + ":"
                    + RestAssured.port
                    + "/api/v1/approval-requests/"
                    + request
                    + "/"
                    + decision))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build();
  }

  /** Sends both at once; their statuses in the order given. */
  private List<Integer> together(HttpRequest first, HttpRequest second) {
    CompletableFuture<HttpResponse<String>> a =
        http.sendAsync(first, HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> b =
        http.sendAsync(second, HttpResponse.BodyHandlers.ofString());
    List<HttpResponse<String>> answers = List.of(a.join(), b.join());
    for (HttpResponse<String> r : answers) {
      assertTrue(
          r.statusCode() == 200 || r.body().contains("approvalRequestNotOpen"),
          r.statusCode() + " " + r.body());
    }
    return answers.stream().map(HttpResponse::statusCode).toList();
  }

  private static int actionsOf(EnrolledDevice device) {
    return Api.asAdmin()
        .queryParam("deviceId", device.id())
        .get("/api/v1/device-actions")
        .then()
        .extract()
        .path("items.size()");
  }
}
