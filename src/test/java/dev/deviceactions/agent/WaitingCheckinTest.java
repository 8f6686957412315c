package dev.deviceactions.agent;

import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The waiting check-in (Prefer: wait=N): held until a command is requested for the device, by this
 * instance or by any other writer of the database (found by the catch-up), or until N seconds pass.
 * The test profile caps N at 6 s and holds at most 40 waiters.
 */
@QuarkusTest
class WaitingCheckinTest {
  /** Held check-ins each take a client thread (the common pool has one on two cores). */
  static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

  /**
   * How long a metric may take to show what just happened (a held check-in's request reaching the
   * app), generous for a loaded machine.
   */
  static final Duration EVENTUALLY = Duration.ofSeconds(30);

  final Pool database = TestDatabase.pool();

  @ConfigProperty(name = "quarkus.http.test-port")
  int port;

  @AfterEach
  void noWaiterIsLeft() {
    awaitWaiting(0);
  }

  @Test
  void pendingCommandsAreAnsweredAtOnce() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    long started = System.nanoTime();
    Response answer = waitingCheckin(windows, "wait=5");

    assertEquals(List.of(reboot), answer.path("commands.actionId"));
    assertEquals("wait=5", answer.header("Preference-Applied"));
    assertTrue(millisSince(started) < 4000, "answered after " + millisSince(started) + " ms");
  }

  @Test
  void aRequestedCommandEndsTheWaitWithIt() {
    EnrolledDevice mac = Api.mac();
    CompletableFuture<Response> held = holdCheckin(mac, "wait=6", 1);
    String lock = Api.request(mac, "remoteLock");

    Response answer = held.join();
    assertEquals(List.of(lock), answer.path("commands.actionId"));
    assertEquals(6, answer.<String>path("commands[0].pin").length());
    assertEquals("wait=6", answer.header("Preference-Applied"));
    asAdmin().get("/api/v1/device-actions/" + lock).then().body("state", equalTo("active"));
  }

  @Test
  void nothingRequestedAnswersNoCommandsWhenTheWaitIsOver() {
    EnrolledDevice windows = Api.windows();
    long started = System.nanoTime();
    Response answer = waitingCheckin(windows, "wait=1");

    assertEquals(List.of(), answer.path("commands"));
    assertEquals("wait=1", answer.header("Preference-Applied"));
    assertTrue(millisSince(started) >= 1000, "answered after " + millisSince(started) + " ms");
  }

  @Test
  void aLongerWaitIsCappedAtMaxWait() {
    Response answer = waitingCheckin(Api.windows(), "respond-async, wait=3600");
    assertEquals("wait=6", answer.header("Preference-Applied"));
    assertEquals(List.of(), answer.path("commands"));
  }

  @Test
  void withoutAUsableWaitPreferenceCheckInAnswersAtOnceAsBefore() {
    EnrolledDevice windows = Api.windows();
    for (String prefer : List.of("wait=0", "wait=soon", "return=minimal")) {
      long started = System.nanoTime();
      Response answer = waitingCheckin(windows, prefer);
      assertEquals(List.of(), answer.path("commands"));
      assertNull(answer.header("Preference-Applied"), prefer);
      assertTrue(millisSince(started) < 3000, prefer + " was held");
    }
  }

  @Test
  void aNewerWaitingCheckInOfTheDeviceAnswersTheOlderWithNoCommands() {
    EnrolledDevice windows = Api.windows();
    CompletableFuture<Response> older = holdCheckin(windows, "wait=6", 1);
    long started = System.nanoTime();
    CompletableFuture<Response> newer =
        CompletableFuture.supplyAsync(() -> waitingCheckin(windows, "wait=6"), CLIENTS);

    assertEquals(List.of(), older.join().path("commands"));
    assertTrue(millisSince(started) < 4000, "older answered after " + millisSince(started) + " ms");
    awaitWaiting(1);
    String reboot = Api.request(windows, "rebootNow");
    assertEquals(List.of(reboot), newer.join().path("commands.actionId"));
  }

  @Test
  void aRequestedCommandWakesTheWaiterRightAfterTheCommit() {
    EnrolledDevice windows = Api.windows();
    double before = wakeUps("commit");
    CompletableFuture<Response> held = holdCheckin(windows, "wait=6", 1);
    String reboot = Api.request(windows, "rebootNow");

    assertEquals(List.of(reboot), held.join().path("commands.actionId"));
    await().atMost(EVENTUALLY).until(() -> wakeUps("commit") == before + 1);
  }

  /**
   * A row committed by another writer sends no wake-up at all (no trigger notifies since V7), as
   * when the replica that accepted an action died before its notification went out: the catch-up
   * query finds it within device-actions.agent.catch-up (2 s), well before the wait ends.
   */
  @Test
  void aCommandWhoseWakeUpWasLostReachesTheWaiterByTheCatchUp() {
    EnrolledDevice windows = Api.windows();
    double before = wakeUps("catch-up");
    CompletableFuture<Response> held = holdCheckin(windows, "wait=6", 1);
    UUID inserted = insertPendingReboot(windows);

    assertEquals(List.of(inserted.toString()), held.join().path("commands.actionId"));
    await().atMost(EVENTUALLY).until(() -> wakeUps("catch-up") >= before + 1);
  }

  @Test
  void anActionThatRolledBackWakesNoOne() {
    EnrolledDevice windows = Api.windows();
    CompletableFuture<Response> held = holdCheckin(windows, "wait=2", 1);
    database
        .withTransaction(
            tx ->
                tx.preparedQuery(INSERT_REBOOT)
                    .execute(Tuple.of(UUID.randomUUID(), UUID.fromString(windows.id())))
                    .chain(() -> tx.query("select 1 from device where false").execute())
                    .chain(() -> io.smallrye.mutiny.Uni.createFrom().failure(new RollBack())))
        .onFailure(RollBack.class)
        .recoverWithNull()
        .await()
        .indefinitely();

    Response answer = held.join();
    assertEquals(List.of(), answer.path("commands"));
  }

  @Test
  void notNowPutsTheCommandBackAndTheWaitingCheckInGetsItAgain() {
    EnrolledDevice windows = Api.windows();
    String reboot = Api.request(windows, "rebootNow");
    asDevice(windows).post("/agent/v1/checkin").then().statusCode(200);
    CompletableFuture<Response> held = holdCheckin(windows, "wait=6", 1);
    asDevice(windows)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "notNow"))
        .post("/agent/v1/actions/" + reboot + "/result")
        .then()
        .statusCode(204);

    assertEquals(List.of(reboot), held.join().path("commands.actionId"));
  }

  @Test
  void everyCommandIsDeliveredOnceWhileWaitingAndPlainCheckInsCompete() {
    EnrolledDevice windows = Api.windows();
    List<CompletableFuture<List<String>>> checkIns = new ArrayList<>();
    Set<String> requested = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      checkIns.add(
          CompletableFuture.supplyAsync(
              () -> waitingCheckin(windows, "wait=3").path("commands.actionId"), CLIENTS));
      requested.add(Api.request(windows, "rebootNow"));
      checkIns.add(
          CompletableFuture.supplyAsync(
              () -> asDevice(windows).post("/agent/v1/checkin").path("commands.actionId"),
              CLIENTS));
    }
    List<String> delivered = new ArrayList<>();
    checkIns.forEach(f -> delivered.addAll(f.join()));
    delivered.addAll(asDevice(windows).post("/agent/v1/checkin").path("commands.actionId"));

    assertEquals(requested.size(), delivered.size(), delivered.toString());
    assertEquals(requested, new HashSet<>(delivered));
  }

  @Test
  void aClientThatGoesAwayFreesItsWaiter() throws Exception {
    EnrolledDevice windows = Api.windows();
    try (Socket socket = new Socket("localhost", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /agent/v1/checkin HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + windows.token()
                  + "\r\nPrefer: wait=6\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      awaitWaiting(1);
    }
    long closed = System.nanoTime();
    awaitWaiting(0);
    assertTrue(millisSince(closed) < 4000, "freed after " + millisSince(closed) + " ms");
  }

  @Test
  void beyondTheLimitACheckInIsAnsweredAtOnceWithoutPreferenceApplied() {
    List<EnrolledDevice> devices = new ArrayList<>();
    for (int i = 0; i <= 40; i++) {
      devices.add(Api.windows());
    }
    List<CompletableFuture<Response>> held = new ArrayList<>();
    for (EnrolledDevice device : devices.subList(0, 40)) {
      held.add(CompletableFuture.supplyAsync(() -> waitingCheckin(device, "wait=6"), CLIENTS));
    }
    awaitWaiting(40);
    long started = System.nanoTime();
    Response over = waitingCheckin(devices.get(40), "wait=6");

    assertEquals(List.of(), over.path("commands"));
    assertNull(over.header("Preference-Applied"));
    assertTrue(millisSince(started) < 3000, "held " + millisSince(started) + " ms");
    held.forEach(f -> assertEquals("wait=6", f.join().header("Preference-Applied")));
  }

  @Test
  void metricsShowWaitingCheckInsAndTheDelayFromAcceptToDelivery() {
    EnrolledDevice windows = Api.windows();
    CompletableFuture<Response> held = holdCheckin(windows, "wait=6", 1);
    assertEquals(1.0, metric("device_actions_waiting_checkins "));
    Api.request(windows, "rebootNow");
    held.join();
    assertTrue(metric("device_actions_delivery_delay_seconds_count ") >= 1);
    assertTrue(
        given()
            .get("/q/metrics")
            .asString()
            .contains("device_actions_delivery_delay_seconds_bucket{le="));
  }

  static final String INSERT_REBOOT =
      "insert into device_action (id, device_id, action, state, initiated_by, requested_at,"
          + " last_updated_at) values ($1, $2, 'rebootNow', 'pending', 'another-instance', now(), now())";

  private UUID insertPendingReboot(EnrolledDevice device) {
    UUID id = UUID.randomUUID();
    database
        .preparedQuery(INSERT_REBOOT)
        .execute(Tuple.of(id, UUID.fromString(device.id())))
        .await()
        .indefinitely();
    return id;
  }

  /** Starts a waiting check-in and returns once this instance holds {@code waiting} of them. */
  private static CompletableFuture<Response> holdCheckin(
      EnrolledDevice device, String prefer, int waiting) {
    CompletableFuture<Response> held =
        CompletableFuture.supplyAsync(() -> waitingCheckin(device, prefer), CLIENTS);
    awaitWaiting(waiting);
    return held;
  }

  private static Response waitingCheckin(EnrolledDevice device, String prefer) {
    return asDevice(device)
        .header("Prefer", prefer)
        .post("/agent/v1/checkin")
        .then()
        .statusCode(200)
        .extract()
        .response();
  }

  /** Waits until this instance holds {@code count} waiting check-ins ({@link #EVENTUALLY}). */
  static void awaitWaiting(int count) {
    long deadline = System.nanoTime() + EVENTUALLY.toNanos();
    while (metric("device_actions_waiting_checkins ") != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waiting check-ins: " + metric("device_actions_waiting_checkins ") + ", not " + count);
      }
      pause();
    }
  }

  /** Waiters woken so far {@code by} the commit, a notification or the catch-up. */
  static double wakeUps(String by) {
    double count = metric("device_actions_wakeups_total{by=\"" + by + "\"} ");
    return Double.isNaN(count) ? 0 : count;
  }

  static double metric(String line) {
    return given()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(line.length()).strip()))
        .findFirst()
        .orElse(Double.NaN);
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static final class RollBack extends RuntimeException {}
}
