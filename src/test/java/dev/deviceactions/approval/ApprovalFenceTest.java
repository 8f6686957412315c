package dev.deviceactions.approval;

import static dev.deviceactions.support.Approvals.alice;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.Approvals;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A policy written by another instance takes effect here at once, though this instance holds the
 * policies in memory: the test writes and deletes policies in the database behind the app's back,
 * as another replica would, and the very next request sees the change.
 */
@QuarkusTest
class ApprovalFenceTest {
  final Pool database = TestDatabase.pool();

  @AfterEach
  void noPolicyOutlivesItsTest() {
    database.query("delete from approval_policy").execute().await().indefinitely();
    Approvals.removeAllPolicies(); // and this instance reads the policies again
  }

  @Test
  void aPolicyCreatedElsewhereCoversTheNextRequest() {
    EnrolledDevice pc = Api.windows();
    EnrolledDevice other = Api.windows();
    Api.request(pc, "rebootNow"); // this instance now holds "no policy" in memory
    insertPolicy("rebootNow", 1);

    alice()
        .post("/api/v1/devices/" + other.id() + "/rebootNow")
        .then()
        .statusCode(422)
        .body("code", equalTo("justificationRequired"));
    Api.asAdmin().get("/api/v1/devices/" + other.id()).then().body("latestAction", nullValue());
    alice()
        .contentType(ContentType.JSON)
        .body(Map.of("justification", "patch night"))
        .post("/api/v1/devices/" + other.id() + "/rebootNow")
        .then()
        .statusCode(202)
        .body("approvalRequest.status", equalTo("needsApproval"));
  }

  @Test
  void aBulkRequestSeesAPolicyCreatedElsewhere() {
    EnrolledDevice a = Api.windows();
    EnrolledDevice b = Api.windows();
    insertPolicy("rebootNow", 2);
    alice()
        .contentType(ContentType.JSON)
        .body(Map.of("action", "rebootNow", "deviceIds", java.util.List.of(a.id(), b.id())))
        .post("/api/v1/device-actions/bulk")
        .then()
        .statusCode(422)
        .body("code", equalTo("justificationRequired"));
  }

  @Test
  void aPolicyDeletedElsewhereNoLongerCovers() {
    EnrolledDevice pc = Api.windows();
    Approvals.policy("Restarts need two", java.util.List.of("rebootNow"), 1);
    database.query("delete from approval_policy").execute().await().indefinitely();
    alice()
        .post("/api/v1/devices/" + pc.id() + "/rebootNow")
        .then()
        .statusCode(202)
        .body("action", equalTo("rebootNow"));
  }

  private void insertPolicy(String action, int minimumDevices) {
    database
        .preparedQuery(
            "insert into approval_policy (id, display_name, actions, minimum_devices, created_by,"
                + " created_at, updated_at) values ($1, 'elsewhere', $2, $3, 'replica-b', now(),"
                + " now())")
        .execute(Tuple.of(UUID.randomUUID(), new String[] {action}, minimumDevices))
        .await()
        .indefinitely();
  }
}
