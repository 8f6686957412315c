package dev.deviceactions.approval;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Packaged;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged app on one PostgreSQL, as replicas: each holds the policies in
 * memory, yet a policy created or deleted through one takes effect on the other with the very next
 * request, with no wait and no notification between them.
 */
class ApprovalInstancesIT {
  static final int A = 8196;
  static final int B = 8197;
  static EmbeddedPostgres database;
  static Packaged.Instance a;
  static Packaged.Instance b;

  @BeforeAll
  static void start() throws Exception {
    database = EmbeddedPostgres.builder().start();
    Flyway.configure()
        .dataSource(database.getPostgresDatabase())
        .locations("filesystem:src/main/resources/db/migration")
        .load()
        .migrate();
    a = Packaged.replica(database.getPort(), A, 55537);
    b = Packaged.replica(database.getPort(), B, 55538);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Packaged.Instance instance : new Packaged.Instance[] {a, b}) {
      if (instance != null) {
        instance.close();
      }
    }
    database.close();
  }

  @Test
  void aPolicyCreatedOnOneInstanceCoversTheNextRequestOnTheOtherAndItsDeletionFreesIt() {
    String pc = enroll(A);
    String other = enroll(B);
    // Both instances have served an uncovered request: each holds "no policy" in memory.
    as(A, "alice@example.com")
        .post(restart(pc))
        .then()
        .statusCode(202)
        .body("action", equalTo("rebootNow"));
    as(B, "alice@example.com").post(restart(other)).then().statusCode(202);

    String policy =
        as(A, "alice@example.com")
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "displayName",
                    "Restarts need two",
                    "actions",
                    List.of("rebootNow"),
                    "minimumDevices",
                    1))
            .post("/api/v1/approval-policies")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(B, "alice@example.com")
        .post(restart(other))
        .then()
        .statusCode(422)
        .body("code", equalTo("justificationRequired"));
    String held =
        as(B, "alice@example.com")
            .contentType(ContentType.JSON)
            .body(Map.of("justification", "patch night"))
            .post(restart(other))
            .then()
            .statusCode(202)
            .extract()
            .path("approvalRequest.id");
    as(A, "bob@example.com")
        .contentType(ContentType.JSON)
        .body(Map.of("justification", "ok"))
        .post("/api/v1/approval-requests/" + held + "/approve")
        .then()
        .statusCode(200)
        .body("status", equalTo("completed"))
        .body("result.actionIds.size()", equalTo(1));

    String delete =
        as(B, "alice@example.com")
            .contentType(ContentType.JSON)
            .body(Map.of("justification", "done with patching"))
            .delete("/api/v1/approval-policies/" + policy)
            .then()
            .statusCode(202)
            .extract()
            .path("approvalRequest.id");
    as(B, "bob@example.com")
        .contentType(ContentType.JSON)
        .body(Map.of("justification", "ok"))
        .post("/api/v1/approval-requests/" + delete + "/approve")
        .then()
        .statusCode(200);
    // A confirmed its memory against the database: no longer covered.
    as(A, "alice@example.com")
        .post(restart(pc))
        .then()
        .statusCode(202)
        .body("action", equalTo("rebootNow"));
  }

  private static String restart(String device) {
    return "/api/v1/devices/" + device + "/rebootNow";
  }

  private static RequestSpecification as(int port, String upn) {
    return given().port(port).auth().oauth2(Api.token(upn, "admin"));
  }

  private static String enroll(int port) {
    return as(port, "enroller@example.com")
        .contentType(ContentType.JSON)
        .body(Map.of("name", "pc-" + System.nanoTime(), "platform", "windows", "osVersion", "10.0"))
        .post("/api/v1/devices")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
