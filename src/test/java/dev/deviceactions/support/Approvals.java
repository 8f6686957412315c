package dev.deviceactions.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/**
 * Test callers of multi-admin approval: two administrators who may request and decide, and policies
 * that each test removes again (through the API, as two administrators must), so that no policy
 * outlives its test and covers another suite's requests.
 */
public final class Approvals {
  public static final String ALICE = "alice.approvals@example.com";
  public static final String BOB = "bob.approvals@example.com";
  static final String CLEANER = "cleanup.approvals@example.com";

  private Approvals() {}

  /** Alice: every action and approvals role (admin implies them all). */
  public static RequestSpecification alice() {
    return given().auth().oauth2(Api.token(ALICE, "admin"));
  }

  public static RequestSpecification bob() {
    return given().auth().oauth2(Api.token(BOB, "admin"));
  }

  /** Creates a policy as Alice and returns its id. */
  public static String policy(String name, List<String> actions, int minimumDevices) {
    return alice()
        .contentType(ContentType.JSON)
        .body(Map.of("displayName", name, "actions", actions, "minimumDevices", minimumDevices))
        .post("/api/v1/approval-policies")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Deletes every policy: one administrator asks, another approves. */
  public static void removeAllPolicies() {
    List<String> ids =
        given()
            .auth()
            .oauth2(Api.token(CLEANER, "admin"))
            .get("/api/v1/approval-policies")
            .then()
            .statusCode(200)
            .extract()
            .path("id");
    for (String id : ids) {
      String request =
          given()
              .auth()
              .oauth2(Api.token(CLEANER, "admin"))
              .contentType(ContentType.JSON)
              .body(Map.of("justification", "test cleanup"))
              .delete("/api/v1/approval-policies/" + id)
              .then()
              .statusCode(202)
              .extract()
              .path("approvalRequest.id");
      bob()
          .contentType(ContentType.JSON)
          .body(Map.of("justification", "test cleanup"))
          .post("/api/v1/approval-requests/" + request + "/approve")
          .then()
          .statusCode(200);
    }
  }

  /** Alice's covered request for {@code action} on the device, with a justification: its id. */
  public static String held(Api.EnrolledDevice device, String action) {
    return alice()
        .contentType(ContentType.JSON)
        .body(Map.of("justification", "ticket 4711"))
        .post("/api/v1/devices/" + device.id() + "/" + action)
        .then()
        .statusCode(202)
        .extract()
        .path("approvalRequest.id");
  }

  /** Bob decides: {@code approve} or {@code reject}. */
  public static io.restassured.response.Response decide(
      RequestSpecification who, String request, String decision) {
    return who.contentType(ContentType.JSON)
        .body(Map.of("justification", "checked with the user"))
        .post("/api/v1/approval-requests/" + request + "/" + decision);
  }
}
