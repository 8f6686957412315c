package dev.deviceactions.apple;

import static dev.deviceactions.apple.ApnsProfile.APNS;
import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.apple.ApnsReceiver.Received;
import dev.deviceactions.apple.AppleDevices.Enrolled;
import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The APNs MDM push as APNs sees it (api.md "Apple devices", Push), against a local HTTP/2 TLS
 * stand-in that checks the client certificate, with devices enrolled by the Apple device simulator:
 * what a push looks like, which devices get one, and what each APNs answer leads to.
 */
@QuarkusTest
@TestProfile(ApnsProfile.class)
class ApplePushTest {
  /** Long enough for a push that should not come to have come, were the app to send it. */
  static final long SETTLE_MILLIS = 1000;

  @Test
  void anAcceptedActionPushesTheDeviceOverHttp2WithItsPushMagicTopicAndThePushCertificate()
      throws Exception {
    Phone phone = Phone.enroll();
    lock(phone);

    Received push = phone.awaitPushes(1).get(0);
    assertEquals("POST", push.method());
    assertEquals(HttpVersion.HTTP_2, push.version());
    assertEquals("/3/device/" + HexFormat.of().formatHex(phone.device().pushToken()), push.path());
    assertEquals(ApnsKeys.TOPIC, push.headers().get("apns-topic"));
    assertEquals("mdm", push.headers().get("apns-push-type"));
    assertEquals("10", push.headers().get("apns-priority"));
    assertEquals(new JsonObject().put("mdm", phone.device().pushMagic()), push.json());
    assertArrayEquals(
        ApnsProfile.keys.pushCertificate().getEncoded(),
        push.clientCertificate().getEncoded(),
        "the TLS client certificate is the push certificate");
    assertEquals(200, push.status());
    assertTrue(pushConfigured(phone));
    awaitMetric("device_actions_apple_push_delay_seconds_count", 1);
  }

  @Test
  void aBulkRequestPushesEachAppleMdmDeviceWithAPushTokenOnceAndNoOther() {
    Phone first = Phone.enroll();
    Phone second = Phone.enroll();
    String noTokenYet = authenticatedOnly();
    Phone checkedOut = Phone.enroll();
    assertEquals(200, checkedOut.device().checkOut().status());
    String agentIphone = Api.enroll(Map.of("platform", "iOS", "osVersion", "17.4")).id();
    int before = APNS.all().size();

    List<String> ids = List.of(first.id(), second.id(), noTokenYet, checkedOut.id(), agentIphone);
    asAdmin()
        .contentType(ContentType.JSON)
        .body(Map.of("action", "remoteLock", "deviceIds", ids))
        .post("/api/v1/device-actions/bulk")
        .then()
        .statusCode(200);

    assertEquals(
        new JsonObject().put("mdm", first.device().pushMagic()),
        first.awaitPushes(1).get(0).json());
    assertEquals(
        new JsonObject().put("mdm", second.device().pushMagic()),
        second.awaitPushes(1).get(0).json());
    ApnsReceiver.pause(SETTLE_MILLIS);
    List<Received> pushes = APNS.all().subList(before, APNS.all().size());
    assertEquals(
        Set.of(first.tokenHex(), second.tokenHex()),
        pushes.stream().map(Received::token).collect(Collectors.toSet()),
        "no push for a device without a token, a checked-out one or one on the agent channel");
    assertEquals(2, pushes.size(), "one push per device");
  }

  @Test
  void a410MarksTheTokenInvalidAndNothingIsPushedToItUntilTheNextTokenUpdate() throws Exception {
    Phone phone = Phone.enroll();
    APNS.script(phone.tokenHex(), 410);
    lock(phone);
    assertEquals(410, phone.awaitPushes(1).get(0).status());
    awaitInvalid(phone);
    assertFalse(pushConfigured(phone));

    lock(phone);
    Phone other = Phone.enroll();
    lock(other);
    other.awaitPushes(1);
    ApnsReceiver.pause(SETTLE_MILLIS);
    assertEquals(1, phone.pushes().size(), "no push to an invalid token");

    assertEquals(200, phone.device().tokenUpdate(true).status());
    assertTrue(pushConfigured(phone));
    lock(phone);
    assertEquals(200, phone.awaitPushes(2).get(1).status());

    String log = Files.readString(Path.of("target/quarkus-test.log"));
    assertTrue(log.contains("push token of device " + phone.id()), "the log holds this flow");
    assertFalse(log.contains(phone.tokenHex()), "the push token is in the log");
    assertFalse(log.contains(phone.device().pushMagic()), "the PushMagic is in the log");
  }

  @Test
  void a410ForATokenThatATokenUpdateReplacedInTheMeantimeLeavesTheNewTokenGood() {
    Phone phone = Phone.enroll();
    String old = phone.tokenHex();
    double invalid = metric("device_actions_apple_pushes_total{outcome=\"invalidToken\"}");
    APNS.script(old, 410);
    APNS.beforeAnswering(
        old,
        token -> {
          phone.device().renewPushToken();
          assertEquals(200, phone.device().tokenUpdate(true).status());
        });
    lock(phone);
    // The hook may have renewed the phone's token already: count the pushes to the one pushed.
    APNS.await(old, phone.enrollmentPushes() + 1);
    awaitMetric("device_actions_apple_pushes_total{outcome=\"invalidToken\"}", invalid + 1);

    ApnsReceiver.pause(SETTLE_MILLIS);
    assertTrue(pushConfigured(phone), "the new token is good");
    lock(phone);
    Received push = APNS.await(HexFormat.of().formatHex(phone.device().pushToken()), 1).get(0);
    assertEquals(new JsonObject().put("mdm", phone.device().pushMagic()), push.json());
    assertEquals(200, push.status());
  }

  @Test
  void tooManyRequestsAndServerErrorsAreRetriedWithGrowingDelaysUntilApnsTakesThePush() {
    Phone phone = Phone.enroll();
    APNS.script(phone.tokenHex(), 429, 500, 503);
    lock(phone);

    List<Received> attempts = phone.awaitPushes(4);
    assertEquals(List.of(429, 500, 503, 200), attempts.stream().map(Received::status).toList());
    for (Received attempt : attempts) {
      assertEquals(new JsonObject().put("mdm", phone.device().pushMagic()), attempt.json());
      assertEquals(ApnsKeys.TOPIC, attempt.headers().get("apns-topic"));
    }
    // 100 ms doubling (ApnsProfile), each delay at least half its step: 50, 100 and 200 ms.
    assertTrue(gapMillis(attempts, 0) >= 50, "first retry after " + gapMillis(attempts, 0));
    assertTrue(gapMillis(attempts, 1) >= 100, "second retry after " + gapMillis(attempts, 1));
    assertTrue(gapMillis(attempts, 2) >= 200, "third retry after " + gapMillis(attempts, 2));
    ApnsReceiver.pause(SETTLE_MILLIS);
    assertEquals(4, phone.pushes().size(), "none after the 200");
  }

  @Test
  void aConnectionLostBeforeTheAnswerIsRetried() {
    Phone phone = Phone.enroll();
    APNS.script(phone.tokenHex(), ApnsReceiver.DROP);
    lock(phone);
    List<Received> attempts = phone.awaitPushes(2);
    assertEquals(List.of(ApnsReceiver.DROP, 200), attempts.stream().map(Received::status).toList());
  }

  @Test
  void anotherRefusalIsDroppedWithoutRetryAndLeavesTheTokenGood() {
    Phone phone = Phone.enroll();
    double refused = metric("device_actions_apple_pushes_total{outcome=\"refused\"}");
    APNS.script(phone.tokenHex(), 400);
    lock(phone);
    phone.awaitPushes(1);
    awaitMetric("device_actions_apple_pushes_total{outcome=\"refused\"}", refused + 1);

    lock(phone);
    List<Received> pushes = phone.awaitPushes(2);
    assertEquals(List.of(400, 200), pushes.stream().map(Received::status).toList());
    assertTrue(pushConfigured(phone));
  }

  @Test
  void aPushIsRetriedForPushRetryForAtMostThenDropped() {
    Phone.enroll(); // its push opened the connection: the retries get the whole 3 s
    Phone phone = Phone.enroll();
    double gaveUp = metric("device_actions_apple_pushes_total{outcome=\"gaveUp\"}");
    APNS.script(phone.tokenHex(), Collections.nCopies(40, 500).toArray(Integer[]::new));
    lock(phone);

    awaitMetric("device_actions_apple_pushes_total{outcome=\"gaveUp\"}", gaveUp + 1);
    int attempts = phone.pushes().size();
    // 3 s of retries (ApnsProfile), 50 to 400 ms apart: 17 attempts at most.
    assertTrue(attempts >= 2 && attempts <= 17, attempts + " attempts");
    ApnsReceiver.pause(SETTLE_MILLIS);
    assertEquals(attempts, phone.pushes().size(), "no attempt after giving up");
    APNS.script(phone.tokenHex());
  }

  @Test
  void pushesStillLeaveWhenTheDatabaseDroppedTheConnectionThatReadsTheirTargets() {
    Phone before = Phone.enroll(); // the push connection is open
    int dropped =
        TestDatabase.pool()
            .query(
                """
                select pg_terminate_backend(pid) from pg_stat_activity
                 where query like '%push_magic%' and pid <> pg_backend_pid()
                """)
            .execute()
            .await()
            .indefinitely()
            .rowCount();
    assertTrue(dropped >= 1, "the push's own connection was found");

    for (int i = 0; i < 2; i++) {
      Phone phone = Phone.enroll();
      lock(phone);
      assertEquals(200, phone.awaitPushes(1).get(0).status());
    }
    lock(before);
    assertEquals(200, before.awaitPushes(1).get(0).status());
  }

  /**
   * An iPhone enrolled by the simulator. Its first TokenUpdate queues the inventory commands, which
   * pushes it once already: {@link #pushes()} counts from after that push.
   */
  record Phone(Enrolled enrolled, int enrollmentPushes) {
    static Phone enroll() {
      Enrolled enrolled = AppleDevices.iPhone();
      String token = HexFormat.of().formatHex(enrolled.device().pushToken());
      return new Phone(enrolled, APNS.await(token, 1).size());
    }

    String id() {
      return enrolled.id();
    }

    AppleDevice device() {
      return enrolled.device();
    }

    String tokenHex() {
      return HexFormat.of().formatHex(device().pushToken());
    }

    /** The pushes to its enrollment's token since the enrollment's own. */
    List<Received> pushes() {
      List<Received> all = APNS.to(tokenHex());
      return all.subList(Math.min(enrollmentPushes, all.size()), all.size());
    }

    List<Received> awaitPushes(int count) {
      List<Received> all = APNS.await(tokenHex(), enrollmentPushes + count);
      return all.subList(enrollmentPushes, all.size());
    }
  }

  /** A device record whose iPhone authenticated but sent no TokenUpdate: no push token yet. */
  private static String authenticatedOnly() {
    Api.EnrolledDevice record = AppleDevices.record(AppleDevice.Model.iPhone, Map.of());
    AppleDevice device = AppleDevices.withIdentity(AppleDevice.Model.iPhone, record.id());
    assertEquals(200, device.authenticate().status());
    return record.id();
  }

  private static void lock(Phone phone) {
    asAdmin().post("/api/v1/devices/" + phone.id() + "/remoteLock").then().statusCode(202);
  }

  private static boolean pushConfigured(Phone phone) {
    return asAdmin()
        .get("/api/v1/devices/" + phone.id())
        .then()
        .statusCode(200)
        .extract()
        .path("appleMdm.pushConfigured");
  }

  private static long gapMillis(List<Received> attempts, int i) {
    return (attempts.get(i + 1).atNanos() - attempts.get(i).atNanos()) / 1_000_000;
  }

  /** Waits until apple_device.push_invalid_at is set and apple_push_ready is false. */
  private static void awaitInvalid(Phone phone) {
    long deadline = System.nanoTime() + ApnsReceiver.EVENTUALLY.toNanos();
    while (!invalid(phone)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the token of " + phone.id() + " is not marked invalid");
      }
      ApnsReceiver.pause(20);
    }
  }

  private static boolean invalid(Phone phone) {
    return TestDatabase.pool()
        .preparedQuery(
            """
            select a.push_invalid_at is not null and not d.apple_push_ready as invalid
              from device d join apple_device a on a.device_id = d.id
             where d.id = $1
            """)
        .execute(Tuple.of(UUID.fromString(phone.id())))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getBoolean("invalid");
  }

  /** Waits until the metric is at least {@code atLeast} ({@link ApnsReceiver#EVENTUALLY}). */
  static void awaitMetric(String name, double atLeast) {
    long deadline = System.nanoTime() + ApnsReceiver.EVENTUALLY.toNanos();
    while (!(metric(name) >= atLeast)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " is " + metric(name) + ", not at least " + atLeast);
      }
      ApnsReceiver.pause(20);
    }
  }

  /** The value of one line of /q/metrics, 0 when the app has not written it yet. */
  static double metric(String name) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(name) + " ([0-9.E+-]+)$", Pattern.MULTILINE)
            .matcher(given().get("/q/metrics").asString());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
