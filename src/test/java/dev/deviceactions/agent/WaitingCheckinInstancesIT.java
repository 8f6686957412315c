package dev.deviceactions.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Packaged;
import dev.deviceactions.support.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two instances of the packaged app on one PostgreSQL, as replicas behind a load balancer: a
 * command accepted by one wakes the check-in waiting on the other (by the notification sent after
 * the commit: the instances' catch-up is set beyond every deadline here; reliability scenario 8
 * shows the catch-up), each command is delivered once whichever instance holds the wait, and
 * SIGTERM answers every waiting check-in at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WaitingCheckinInstancesIT {
  static final int A = 8094;
  static final int B = 8095;
  static final ExecutorService CLIENTS = Executors.newCachedThreadPool();
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
    a = serve(A, 55435);
    b = serve(B, 55436);
    a.awaitUp(A, "/q/health/ready", Duration.ofSeconds(120));
    b.awaitUp(B, "/q/health/ready", Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() throws Exception {
    CLIENTS.shutdownNow();
    for (Packaged.Instance instance : new Packaged.Instance[] {a, b}) {
      if (instance != null) {
        instance.close();
      }
    }
    database.close();
  }

  @Test
  @Order(1)
  void aCommandAcceptedOnOneInstanceWakesTheCheckInWaitingOnTheOther() throws Exception {
    Device mac = enroll(A, "macOS", "14.2");
    CompletableFuture<Response> held = waitOn(B, mac, 30);
    awaitWaiting(B, 1);
    long accepted = System.nanoTime();
    String lock = request(A, mac, "remoteLock");

    Response answer = held.get(20, TimeUnit.SECONDS);
    long delayMs = (System.nanoTime() - accepted) / 1_000_000;
    assertEquals(List.of(lock), answer.path("commands.actionId"));
    assertEquals("wait=30", answer.header("Preference-Applied"));
    assertTrue(delayMs < 10_000, "delivered " + delayMs + " ms after the request");
    awaitWaiting(B, 0);
  }

  @Test
  @Order(2)
  void eachCommandIsDeliveredOnceToAWaitOnOneInstanceAndCheckInsOnTheOther() throws Exception {
    Device windows = enroll(A, "windows", "10.0");
    CompletableFuture<List<String>> waiting = commandsOf(waitOn(B, windows, 30));
    awaitWaiting(B, 1);
    Set<String> requested = new HashSet<>();
    List<String> delivered = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requested.add(request(i % 2 == 0 ? A : B, windows, "rebootNow"));
      delivered.addAll(checkin(A, windows).<List<String>>path("commands.actionId"));
    }
    delivered.addAll(waiting.get(40, TimeUnit.SECONDS));
    delivered.addAll(checkin(A, windows).<List<String>>path("commands.actionId"));

    assertEquals(requested.size(), delivered.size(), delivered.toString());
    assertEquals(requested, new HashSet<>(delivered));
  }

  @Test
  @Order(3)
  void aNewerWaitingCheckInOnOneInstanceAnswersTheOlderOnTheOther() throws Exception {
    Device mac = enroll(A, "macOS", "14.2");
    // Waits of 50 s: the newer's request and the notification have 40 s to end the older's,
    // well before the older's own wait would.
    CompletableFuture<Response> older = waitOn(A, mac, 50);
    awaitWaiting(A, 1);
    CompletableFuture<Response> newer = waitOn(B, mac, 50);

    Response answer = older.get(40, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode());
    assertEquals(List.of(), answer.path("commands"));
    assertEquals("wait=50", answer.header("Preference-Applied"));
    awaitWaiting(A, 0);
    awaitWaiting(B, 1);

    String lock = request(A, mac, "remoteLock");
    assertEquals(List.of(lock), newer.get(40, TimeUnit.SECONDS).path("commands.actionId"));
  }

  @Test
  @Order(4)
  void sigtermAnswersEveryWaitingCheckInAtOnce() throws Exception {
    List<CompletableFuture<Response>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(waitOn(B, enroll(A, "windows", "10.0"), 50));
    }
    awaitWaiting(B, 3);
    long terminated = System.nanoTime();
    b.process().destroy();

    for (CompletableFuture<Response> answer : held) {
      Response response = answer.get(15, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode());
      assertEquals(List.of(), response.path("commands"));
    }
    long answeredMs = (System.nanoTime() - terminated) / 1_000_000;
    // The graceful shutdown would wait up to quarkus.shutdown.timeout (20 s) for them.
    assertTrue(answeredMs < 8_000, "answered " + answeredMs + " ms after SIGTERM");
    assertTrue(b.process().waitFor(30, TimeUnit.SECONDS), "the instance did not exit");
    assertFalse(b.process().isAlive());
  }

  record Device(String id, String token) {}

  private static Device enroll(int port, String platform, String osVersion) {
    Response response =
        admin(port)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "name",
                    "it-" + System.nanoTime(),
                    "platform",
                    platform,
                    "osVersion",
                    osVersion,
                    "passcodeSet",
                    true))
            .post("/api/v1/devices")
            .then()
            .statusCode(201)
            .extract()
            .response();
    return new Device(response.path("id"), response.path("deviceToken"));
  }

  private static String request(int port, Device device, String action) {
    return admin(port)
        .post("/api/v1/devices/" + device.id() + "/" + action)
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  private static CompletableFuture<Response> waitOn(int port, Device device, int seconds) {
    return CompletableFuture.supplyAsync(
        () ->
            given()
                .port(port)
                .auth()
                .oauth2(device.token())
                .header("Prefer", "wait=" + seconds)
                .post("/agent/v1/checkin")
                .then()
                .extract()
                .response(),
        CLIENTS);
  }

  private static CompletableFuture<List<String>> commandsOf(CompletableFuture<Response> answer) {
    return answer.thenApply(r -> r.path("commands.actionId"));
  }

  private static Response checkin(int port, Device device) {
    return given().port(port).auth().oauth2(device.token()).post("/agent/v1/checkin");
  }

  private static RequestSpecification admin(int port) {
    return given().port(port).auth().oauth2(Api.token("it@example.com", "admin"));
  }

  /** Instances of the default jar, which also starts its embedded dev database, each its own. */
  private static Packaged.Instance serve(int port, int embeddedPort) throws Exception {
    Map<String, String> env = Packaged.databaseOn(database.getPort());
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
    env.put("MP_JWT_VERIFY_ISSUER", Api.ISSUER);
    env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyLocation());
    // No catch-up within any test's deadline: a wake-up across instances must come as a
    // notification.
    env.put("DEVICE_ACTIONS_AGENT_CATCH_UP", "10m");
    return Packaged.serve(env, embeddedPort);
  }

  private static void awaitWaiting(int port, int count) throws Exception {
    // A held request reaches a loaded replica's waiters slowly: generous, it costs nothing.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    double waiting = Double.NaN;
    while (Instant.now().isBefore(deadline)) {
      waiting =
          given()
              .port(port)
              .get("/q/metrics")
              .asString()
              .lines()
              .filter(l -> l.startsWith("device_actions_waiting_checkins "))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
              .findFirst()
              .orElse(Double.NaN);
      if (waiting == count) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("port " + port + ": " + waiting + " waiting, not " + count);
  }
}
