package dev.deviceactions.action;

import static dev.deviceactions.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.Approvals;
import dev.deviceactions.support.CountedStatements;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that arrive together share their statements (common/Batcher): one read for their
 * devices, one store and one commit for their actions. Each request still gets the answer it would
 * have had alone, and each accepted action is stored whole: the action, its audit event and its
 * secret.
 */
@QuarkusTest
@TestProfile(CountedStatements.class)
class AcceptedTogetherTest {
  static final int EACH = 24;

  final Pool database = CountedStatements.pool();

  @AfterEach
  void noPolicyOutlivesItsTest() {
    database.query("delete from approval_policy").execute().await().indefinitely();
    Approvals.removeAllPolicies();
  }

  @Test
  void requestsThatArriveTogetherShareStatementsAndEachIsStoredWhole() throws Exception {
    List<String> paths = new ArrayList<>();
    List<EnrolledDevice> ipads = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      paths.add("/api/v1/devices/" + Api.windows().id() + "/rebootNow");
      EnrolledDevice ipad =
          Api.enroll(Map.of("platform", "iPadOS", "osVersion", "17.4", "supervised", true));
      ipads.add(ipad);
      paths.add("/api/v1/devices/" + ipad.id() + "/resetPasscode");
    }
    for (int i = 0; i < 4; i++) {
      paths.add("/api/v1/devices/" + UUID.randomUUID() + "/rebootNow");
    }
    CountedStatements.reset();

    List<Response> answers = allAtOnce(paths);

    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      Response answer = answers.get(i);
      if (i < 2 * EACH) {
        assertEquals(202, answer.statusCode(), answer.asString());
        String device = paths.get(i).split("/")[4];
        assertEquals(device, answer.path("deviceId"));
        accepted.add(answer.path("id"));
      } else {
        assertEquals(404, answer.statusCode(), answer.asString());
        assertEquals("deviceNotFound", answer.path("code"));
      }
    }
    for (String id : accepted) {
      Row stored = storedWhole(UUID.fromString(id));
      assertEquals(1L, stored.getLong("actions"), id);
      assertEquals(1L, stored.getLong("audits"), id);
    }
    for (EnrolledDevice ipad : ipads) {
      assertNotNull(Api.secret(ipad, "temporaryPasscode.value"), ipad.id());
    }
    Map<String, Long> sent = CountedStatements.sent();
    long stores = CountedStatements.calls(sent, "insert into device_action");
    assertTrue(stores < 2 * EACH, "stores: " + stores + " for " + 2 * EACH + " actions");
    assertTrue(CountedStatements.calls(sent, "id = any ($1::uuid[])") > 0, "no shared device read");
  }

  /**
   * A policy counts the actions one statement inserts (V10's fence): requests that share a store
   * must not make each other covered. Here a policy covers restarts of two devices or more; single
   * restarts sent together are each accepted, as they would be one by one.
   */
  @Test
  void aSharedStoreTheFenceRefusesIsRetriedRequestByRequest() throws Exception {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      paths.add("/api/v1/devices/" + Api.windows().id() + "/rebootNow");
    }
    database
        .preparedQuery(
            "insert into approval_policy (id, display_name, actions, minimum_devices, created_by,"
                + " created_at, updated_at) values ($1, 'two or more', $2, 2, 'replica-b', now(),"
                + " now())")
        .execute(Tuple.of(UUID.randomUUID(), new String[] {"rebootNow"}))
        .await()
        .indefinitely();

    for (Response answer : allAtOnce(paths)) {
      assertEquals(202, answer.statusCode(), answer.asString());
      assertNotNull(answer.path("id"), answer.asString());
      assertEquals("rebootNow", answer.path("action"));
    }
  }

  private static List<Response> allAtOnce(List<String> paths) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(paths.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Response>> sent = new ArrayList<>();
      for (String path : paths) {
        sent.add(
            clients.submit(
                () -> {
                  go.await();
                  return asAdmin().post(path);
                }));
      }
      go.countDown();
      List<Response> answers = new ArrayList<>();
      for (Future<Response> answer : sent) {
        answers.add(answer.get());
      }
      return answers;
    } finally {
      clients.shutdownNow();
    }
  }

  private Row storedWhole(UUID action) {
    return database
        .preparedQuery(
            "select (select count(*) from device_action where id = $1) as actions,"
                + " (select count(*) from audit_event where action_id = $1"
                + " and activity = 'actionRequested' and outcome = 'accepted') as audits")
        .execute(Tuple.of(action))
        .await()
        .indefinitely()
        .iterator()
        .next();
  }
}
