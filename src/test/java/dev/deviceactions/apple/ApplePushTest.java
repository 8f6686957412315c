package dev.deviceactions.apple;

import static dev.deviceactions.apple.ApnsProfile.APNS;
import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.apple.ApnsReceiver.Received;
import dev.deviceactions.support.Api;
import io.restassured.http.ContentType;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The APNs MDM push as APNs sees it (api.md "Apple devices", Push), against a local HTTP/2 TLS
 * stand-in that checks the client certificate: what a push looks like, which devices get one, and
 * what each APNs answer leads to.
 */
@io.quarkus.test.junit.QuarkusTest
@io.quarkus.test.junit.TestProfile(ApnsProfile.class)
class ApplePushTest {
  /** Long enough for a push that should not come to have come, were the app to send it. */
  static final long SETTLE_MILLIS = 1000;

  @Test
  void anAcceptedActionPushesTheDeviceOverHttp2WithItsPushMagicTopicAndThePushCertificate()
      throws Exception {
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    lock(iphone);

    Received push = APNS.await(iphone.tokenHex(), 1).get(0);
    assertEquals("POST", push.method());
    assertEquals(HttpVersion.HTTP_2, push.version());
    assertEquals("/3/device/" + iphone.tokenHex(), push.path());
    assertEquals(iphone.tokenHex().toLowerCase(), iphone.tokenHex(), "lowercase hex");
    assertEquals(ApnsKeys.TOPIC, push.headers().get("apns-topic"));
    assertEquals("mdm", push.headers().get("apns-push-type"));
    assertEquals("10", push.headers().get("apns-priority"));
    assertEquals(new JsonObject().put("mdm", iphone.pushMagic()), push.json());
    assertArrayEquals(
        ApnsProfile.keys.pushCertificate().getEncoded(),
        push.clientCertificate().getEncoded(),
        "the TLS client certificate is the push certificate");
    assertEquals(200, push.status());
    awaitMetric("device_actions_apple_push_delay_seconds_count", 1);
  }

  @Test
  void aBulkRequestPushesEachAppleMdmDeviceWithAPushTokenOnceAndNoOther() {
    SeededAppleDevice first = SeededAppleDevice.pushable();
    SeededAppleDevice second = SeededAppleDevice.pushable();
    SeededAppleDevice noTokenYet = SeededAppleDevice.withoutToken();
    SeededAppleDevice checkedOut = SeededAppleDevice.pushable();
    checkedOut.checkOut();
    String agentIphone = Api.enroll(Map.of("platform", "iOS", "osVersion", "17.4")).id();
    int before = APNS.all().size();

    List<String> ids =
        List.of(first.id(), second.id(), noTokenYet.id(), checkedOut.id(), agentIphone);
    Map<String, Object> bulk =
        asAdmin()
            .contentType(ContentType.JSON)
            .body(Map.of("action", "remoteLock", "deviceIds", ids))
            .post("/api/v1/device-actions/bulk")
            .then()
            .statusCode(200)
            .extract()
            .as(Map.class);
    assertEquals(Set.copyOf(ids), Set.copyOf((List<?>) bulk.get("successfulDeviceIds")));

    assertEquals(
        new JsonObject().put("mdm", first.pushMagic()),
        APNS.await(first.tokenHex(), 1).get(0).json());
    assertEquals(
        new JsonObject().put("mdm", second.pushMagic()),
        APNS.await(second.tokenHex(), 1).get(0).json());
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
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    APNS.script(iphone.tokenHex(), 410);
    lock(iphone);
    assertEquals(410, APNS.await(iphone.tokenHex(), 1).get(0).status());
    awaitPushState(iphone, Map.of("ready", false, "invalid", true));

    lock(iphone);
    SeededAppleDevice other = SeededAppleDevice.pushable();
    lock(other);
    APNS.await(other.tokenHex(), 1);
    ApnsReceiver.pause(SETTLE_MILLIS);
    assertEquals(1, APNS.to(iphone.tokenHex()).size(), "no push to an invalid token");

    SeededAppleDevice updated = iphone.tokenUpdate(iphone.token());
    lock(updated);
    assertEquals(200, APNS.await(updated.tokenHex(), 2).get(1).status());
    assertEquals(Map.of("ready", true, "invalid", false), updated.pushState());

    String log = Files.readString(Path.of("target/quarkus-test.log"));
    assertTrue(log.contains("push token of device " + iphone.id()), "the log holds this flow");
    assertFalse(log.contains(iphone.tokenHex()), "the push token is in the log");
    assertFalse(log.contains(iphone.pushMagic()), "the PushMagic is in the log");
  }

  @Test
  void a410ForATokenThatATokenUpdateReplacedInTheMeantimeLeavesTheNewTokenGood() {
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    SeededAppleDevice[] replaced = new SeededAppleDevice[1];
    double invalid = metric("device_actions_apple_pushes_total{outcome=\"invalidToken\"}");
    APNS.script(iphone.tokenHex(), 410);
    APNS.beforeAnswering(iphone.tokenHex(), token -> replaced[0] = iphone.newToken());
    lock(iphone);
    APNS.await(iphone.tokenHex(), 1);
    awaitMetric("device_actions_apple_pushes_total{outcome=\"invalidToken\"}", invalid + 1);

    ApnsReceiver.pause(SETTLE_MILLIS);
    assertEquals(Map.of("ready", true, "invalid", false), iphone.pushState());
    lock(replaced[0]);
    assertEquals(200, APNS.await(replaced[0].tokenHex(), 1).get(0).status());
  }

  @Test
  void tooManyRequestsAndServerErrorsAreRetriedWithGrowingDelaysUntilApnsTakesThePush() {
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    APNS.script(iphone.tokenHex(), 429, 500, 503);
    lock(iphone);

    List<Received> attempts = APNS.await(iphone.tokenHex(), 4);
    assertEquals(List.of(429, 500, 503, 200), attempts.stream().map(Received::status).toList());
    for (Received attempt : attempts) {
      assertEquals(new JsonObject().put("mdm", iphone.pushMagic()), attempt.json());
      assertEquals(ApnsKeys.TOPIC, attempt.headers().get("apns-topic"));
    }
    // 100 ms doubling (ApnsProfile), each delay at least half its step: 50, 100 and 200 ms.
    assertTrue(gapMillis(attempts, 0) >= 50, "first retry after " + gapMillis(attempts, 0));
    assertTrue(gapMillis(attempts, 1) >= 100, "second retry after " + gapMillis(attempts, 1));
    assertTrue(gapMillis(attempts, 2) >= 200, "third retry after " + gapMillis(attempts, 2));
    ApnsReceiver.pause(SETTLE_MILLIS);
    assertEquals(4, APNS.to(iphone.tokenHex()).size(), "none after the 200");
  }

  @Test
  void aConnectionLostBeforeTheAnswerIsRetried() {
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    APNS.script(iphone.tokenHex(), ApnsReceiver.DROP);
    lock(iphone);
    List<Received> attempts = APNS.await(iphone.tokenHex(), 2);
    assertEquals(List.of(ApnsReceiver.DROP, 200), attempts.stream().map(Received::status).toList());
  }

  @Test
  void anotherRefusalIsDroppedWithoutRetryAndLeavesTheTokenGood() {
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    double refused = metric("device_actions_apple_pushes_total{outcome=\"refused\"}");
    APNS.script(iphone.tokenHex(), 400);
    lock(iphone);
    APNS.await(iphone.tokenHex(), 1);
    awaitMetric("device_actions_apple_pushes_total{outcome=\"refused\"}", refused + 1);

    lock(iphone);
    List<Received> pushes = APNS.await(iphone.tokenHex(), 2);
    assertEquals(List.of(400, 200), pushes.stream().map(Received::status).toList());
    assertEquals(Map.of("ready", true, "invalid", false), iphone.pushState());
  }

  @Test
  void aPushIsRetriedForPushRetryForAtMostThenDropped() {
    SeededAppleDevice warm = SeededAppleDevice.pushable();
    lock(warm);
    APNS.await(warm.tokenHex(), 1); // the connection is open: the retries get the whole 3 s
    SeededAppleDevice iphone = SeededAppleDevice.pushable();
    double gaveUp = metric("device_actions_apple_pushes_total{outcome=\"gaveUp\"}");
    APNS.script(iphone.tokenHex(), java.util.Collections.nCopies(40, 500).toArray(Integer[]::new));
    lock(iphone);

    awaitMetric("device_actions_apple_pushes_total{outcome=\"gaveUp\"}", gaveUp + 1);
    int attempts = APNS.to(iphone.tokenHex()).size();
    // 3 s of retries (ApnsProfile), 50 to 400 ms apart: 17 attempts at most.
    assertTrue(attempts >= 2 && attempts <= 17, attempts + " attempts");
    ApnsReceiver.pause(SETTLE_MILLIS);
    assertEquals(attempts, APNS.to(iphone.tokenHex()).size(), "no attempt after giving up");
    APNS.script(iphone.tokenHex());
  }

  private static void lock(SeededAppleDevice device) {
    asAdmin().post("/api/v1/devices/" + device.id() + "/remoteLock").then().statusCode(202);
  }

  private static long gapMillis(List<Received> attempts, int i) {
    return (attempts.get(i + 1).atNanos() - attempts.get(i).atNanos()) / 1_000_000;
  }

  private static void awaitPushState(SeededAppleDevice device, Map<String, Boolean> state) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!device.pushState().equals(state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("push state " + device.pushState() + ", not " + state);
      }
      ApnsReceiver.pause(20);
    }
  }

  /** Waits until the metric is at least {@code atLeast} (10 s at most). */
  static void awaitMetric(String name, double atLeast) {
    long deadline = System.nanoTime() + 10_000_000_000L;
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
