package dev.deviceactions.action;

import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static dev.deviceactions.support.CountedStatements.calls;
import static dev.deviceactions.support.CountedStatements.callsOf;
import static dev.deviceactions.support.CountedStatements.plansOf;
import static dev.deviceactions.support.CountedStatements.sent;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.CountedStatements;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What an accepted action costs the database, counted by PostgreSQL itself (pg_stat_statements):
 * without an Idempotency-Key, two statements (read the device, then store the action with its audit
 * event, its secret and the Mac's PIN guard at once) and no transaction around them; with a key,
 * three. None of them notifies.
 */
@QuarkusTest
@TestProfile(CountedStatements.class)
class RequestPathStatementsTest {
  static final int REQUESTS = 10;

  /** The batch of wake-ups sent after commits (common/Notifications). */
  static final String WAKE_UPS = "%pg_notify%";

  final Pool database = CountedStatements.pool();

  @Test
  void aRestartIsTwoStatementsAndNoTransaction() {
    Map<String, Long> sent = statementsFor(REQUESTS, Api::windows, "rebootNow", false);

    assertEquals(2 * REQUESTS, total(sent), sent.toString());
    assertEquals(REQUESTS, calls(sent, "from device where id = $1"), sent.toString());
    assertEquals(REQUESTS, calls(sent, "insert into device_action"), sent.toString());
    assertEquals(0, calls(sent, "begin"), sent.toString());
  }

  @Test
  void aMacLockWithItsPinAndGuardIsTwoStatements() {
    Map<String, Long> sent = statementsFor(REQUESTS, Api::mac, "remoteLock", false);

    assertEquals(2 * REQUESTS, total(sent), sent.toString());
    assertEquals(REQUESTS, calls(sent, "insert into action_secret"), sent.toString());
  }

  @Test
  void anIdempotencyKeyAddsItsLookup() {
    Map<String, Long> sent = statementsFor(REQUESTS, Api::windows, "rebootNow", true);

    assertEquals(3 * REQUESTS, total(sent), sent.toString());
    assertEquals(REQUESTS, calls(sent, "from idempotency_key k"), sent.toString());
  }

  @Test
  void aCheckInCollectingACommandIsOneStatementAfterItsToken() {
    List<EnrolledDevice> devices = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      EnrolledDevice device = Api.windows();
      Api.request(device, "rebootNow");
      devices.add(device);
    }
    CountedStatements.reset();

    for (EnrolledDevice device : devices) {
      asDevice(device)
          .post("/agent/v1/checkin")
          .then()
          .statusCode(200)
          .body("commands.action", equalTo(List.of("rebootNow")));
    }

    Map<String, Long> sent = sent();
    assertEquals(2 * REQUESTS, total(sent), sent.toString());
    assertEquals(REQUESTS, calls(sent, "token_hash"), sent.toString());
    assertEquals(0, calls(sent, "begin"), sent.toString());
  }

  /**
   * A transaction that notifies takes a database-wide lock at its commit (issue 27): since V7 no
   * function of the schema, and so no trigger, calls pg_notify; the app wakes others after commits.
   */
  @Test
  void noTriggerNotifiesInsideATransaction() {
    List<String> notifying = new ArrayList<>();
    for (Row row :
        database
            .query(
                "select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                    + " where n.nspname = 'public' and p.prosrc ilike '%notify%'")
            .execute()
            .await()
            .indefinitely()) {
      notifying.add(row.getString("proname"));
    }
    assertEquals(List.of(), notifying);
  }

  /**
   * Each commit's wake-up for the other replicas goes out after it, in a batch of its own here (the
   * requests are apart): one prepared statement that PostgreSQL plans a few times at first and then
   * not again, never once a batch.
   */
  @Test
  void theWakeUpsAfterCommitsAreNotPlannedEachTime() {
    await("the notification connection is up")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Api.request(Api.windows(), "rebootNow");
              return callsOf(WAKE_UPS) > 0;
            });
    List<EnrolledDevice> devices = new ArrayList<>();
    for (int i = 0; i < 2 * REQUESTS; i++) {
      devices.add(Api.windows());
    }
    CountedStatements.reset();

    for (EnrolledDevice device : devices) {
      long before = callsOf(WAKE_UPS);
      Api.request(device, "rebootNow");
      await("a batch after the commit")
          .atMost(Duration.ofSeconds(30))
          .until(() -> callsOf(WAKE_UPS) > before);
    }

    long batches = callsOf(WAKE_UPS);
    long planned = plansOf(WAKE_UPS);
    assertTrue(batches >= 2 * REQUESTS, batches + " batches");
    assertTrue(planned <= 6, batches + " batches were planned " + planned + " times");
  }

  /**
   * The statements the app sent while {@code count} new devices got one {@code action} each, query
   * text to calls ({@link CountedStatements#sent()}).
   */
  private Map<String, Long> statementsFor(
      int count, Supplier<EnrolledDevice> enroll, String action, boolean withKey) {
    List<EnrolledDevice> devices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      devices.add(enroll.get());
    }
    CountedStatements.reset();
    for (EnrolledDevice device : devices) {
      var request = asAdmin();
      if (withKey) {
        request.header("Idempotency-Key", "statements-" + device.id());
      }
      request.post("/api/v1/devices/" + device.id() + "/" + action).then().statusCode(202);
    }
    return sent();
  }

  private static long total(Map<String, Long> sent) {
    return sent.values().stream().mapToLong(Long::longValue).sum();
  }
}
