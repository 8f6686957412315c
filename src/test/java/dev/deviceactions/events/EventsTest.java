package dev.deviceactions.events;

import static dev.deviceactions.events.EventSinkProfile.RECEIVER;
import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static dev.deviceactions.support.Api.asDevice;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.events.EventReceiver.Received;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.Approvals;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event stream as a sink sees it (api.md "Events"): a real HTTP receiver, reading what arrives
 * with the CloudEvents SDK, on two sinks at once (K_SINK and device-actions.events.sinks).
 */
@QuarkusTest
@TestProfile(EventSinkProfile.class)
class EventsTest {
  static final String REQUESTED = "dev.deviceactions.action.requested";
  static final String DELIVERED = "dev.deviceactions.action.delivered";
  static final String COMPLETED = "dev.deviceactions.action.completed";
  static final String ENROLLED = "dev.deviceactions.device.enrolled";
  static final String REMOVED = "dev.deviceactions.device.removed";
  static final String APPROVAL_REQUESTED = "dev.deviceactions.approval.requested";
  static final String APPROVAL_DECIDED = "dev.deviceactions.approval.decided";
  static final ObjectMapper JSON = new ObjectMapper();

  /** How long anything the relay does may take, generous for a loaded machine. */
  static final Duration EVENTUALLY = EventReceiver.EVENTUALLY;

  @AfterEach
  void sinkAnswers202Again() {
    RECEIVER.answer(r -> 202);
    Approvals.removeAllPolicies();
  }

  @Test
  void anApprovalRequestIsRequestedThenDecidedWithItsViewAsData() {
    EnrolledDevice pc = Api.windows();
    EnrolledDevice other = Api.windows();
    Approvals.policy("Restarts need two", List.of("rebootNow"), 1);
    String approved = Approvals.held(pc, "rebootNow");
    Approvals.decide(Approvals.bob(), approved, "approve").then().statusCode(200);
    String rejected = Approvals.held(other, "rebootNow");
    Approvals.decide(Approvals.bob(), rejected, "reject").then().statusCode(200);

    List<Received> events = webhook(approved, 2);
    assertEquals(List.of(APPROVAL_REQUESTED, APPROVAL_DECIDED), types(events));
    assertEquals("needsApproval", data(events.get(0)).get("status"));
    Map<String, Object> view =
        Approvals.alice().get("/api/v1/approval-requests/" + approved).as(MAP);
    assertEquals(
        view, data(events.get(1)), "the decided event's data is the request as a GET shows it");
    assertEquals("completed", view.get("status"));
    assertEquals(
        Instant.parse((String) view.get("lastModifiedAt")),
        events.get(1).event().getTime().toInstant());
    List<Received> refused = webhook(rejected, 2);
    assertEquals("rejected", data(refused.get(1)).get("status"));
    assertEquals(2, knative(approved, 2).size(), "K_SINK got the same events");
  }

  @Test
  void anActionsLifeIsRequestedDeliveredCompletedWithTheActionViewAsData() {
    EnrolledDevice mac = Api.mac();
    String lock = Api.request(mac, "remoteLock");
    String pin = Api.secret(mac, "recoveryPin.value");
    checkIn(mac);
    result(mac, lock, "done");

    List<Received> events = webhook(lock, 3);
    assertEquals(List.of(REQUESTED, DELIVERED, COMPLETED), types(events));
    assertEquals(List.of("pending", "active", "done"), states(events));
    Map<String, Object> view = asAdmin().get("/api/v1/device-actions/" + lock).as(MAP);
    assertEquals(view, data(events.get(2)), "the completed event's data is the action view");
    for (Received e : events) {
      assertEquals("1.0", e.headers().get("ce-specversion"));
      assertEquals(URI.create("/device-actions"), e.event().getSource());
      assertEquals("application/json", e.headers().get("Content-Type"));
      assertEquals(
          Instant.parse((String) data(e).get("lastUpdatedAt")), e.event().getTime().toInstant());
      assertFalse(e.body().contains(pin), "no event holds the recovery PIN");
      assertFalse(e.body().contains(mac.token()), "no event holds the device token");
    }
    assertEquals(3, knative(lock, 3).size(), "K_SINK got the same events");
  }

  @Test
  void enrollmentAndRemovalAreDeviceEventsAndRemovalCancelsWithAnEvent() {
    EnrolledDevice mac = Api.mac();
    Map<String, Object> enrolled = asAdmin().get("/api/v1/devices/" + mac.id()).as(MAP);
    String lock = Api.request(mac, "remoteLock");
    asAdmin().delete("/api/v1/devices/" + mac.id()).then().statusCode(204);

    List<Received> device = webhook(mac.id(), 2);
    assertEquals(List.of(ENROLLED, REMOVED), types(device));
    assertEquals(enrolled, data(device.get(0)), "the enrolled event's data is the device view");
    assertFalse(data(device.get(0)).containsKey("deviceToken"));
    Map<String, Object> latest = (Map<String, Object>) data(device.get(1)).get("latestAction");
    assertEquals(lock, latest.get("id"));
    assertEquals("canceled", latest.get("state"));
    assertEquals(List.of("pending", "canceled"), states(webhook(lock, 2)));
  }

  @Test
  void aBulkRequestIsOneRequestedEventPerAcceptedAction() {
    List<String> pcs = List.of(Api.windows().id(), Api.windows().id(), Api.windows().id());
    Map<String, Object> bulk =
        asAdmin()
            .contentType(ContentType.JSON)
            .body(Map.of("action", "rebootNow", "deviceIds", pcs))
            .post("/api/v1/device-actions/bulk")
            .then()
            .statusCode(200)
            .extract()
            .as(MAP);
    List<Received> requested =
        RECEIVER.await(
            r ->
                r.path().equals("/webhook")
                    && r.type().equals(REQUESTED)
                    && bulk.get("bulkActionId").equals(data(r).get("bulkActionId")),
            3);
    assertEquals(3, requested.size());
    assertEquals(
        Set.copyOf(pcs),
        requested.stream().map(r -> (String) data(r).get("deviceId")).collect(Collectors.toSet()));
  }

  @Test
  void cancelAndTheSweepsTimeoutAreCompletions() throws InterruptedException {
    EnrolledDevice pc = Api.windows();
    String canceled = Api.request(pc, "rebootNow");
    asAdmin().post("/api/v1/device-actions/" + canceled + "/cancel").then().statusCode(200);
    String overdue = Api.request(pc, "rebootNow");
    Thread.sleep(1_200);
    asAdmin().post("/api/v1/maintenance/sweep").then().statusCode(200);

    assertEquals(List.of("pending", "canceled"), states(webhook(canceled, 2)));
    Received timedOut = webhook(overdue, 2).get(1);
    assertEquals(COMPLETED, timedOut.type());
    assertEquals("failed", data(timedOut).get("state"));
    assertEquals("timedOut", data(timedOut).get("failureReason"));
  }

  @Test
  void everyRequestIsSignedWithStandardWebhooks() throws Exception {
    String lock = Api.request(Api.mac(), "remoteLock");
    Received e = webhook(lock, 1).get(0);
    String id = e.headers().get("webhook-id");
    String timestamp = e.headers().get("webhook-timestamp");
    assertEquals(e.event().getId(), id);
    assertTrue(Math.abs(Long.parseLong(timestamp) - Instant.now().getEpochSecond()) < 60);
    Mac hmac = Mac.getInstance("HmacSHA256");
    byte[] key = Base64.getDecoder().decode(EventSinkProfile.SECRET.substring("whsec_".length()));
    hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] signed = (id + "." + timestamp + "." + e.body()).getBytes(StandardCharsets.UTF_8);
    String expected = "v1," + Base64.getEncoder().encodeToString(hmac.doFinal(signed));
    assertEquals(expected, e.headers().get("webhook-signature"));
  }

  @Test
  void aSinkIn503IsRetriedWithTheSameCeIdAndOrderHolds() {
    EnrolledDevice pc = Api.windows();
    RECEIVER.answer(r -> r.path().equals("/webhook") ? 503 : 202);
    String reboot = Api.request(pc, "rebootNow");
    checkIn(pc);
    List<Received> refused =
        RECEIVER.await(r -> reboot.equals(r.subject()) && r.status() == 503, 3);
    RECEIVER.answer(r -> 202);

    List<Received> events = webhook(reboot, 2);
    assertEquals(List.of(REQUESTED, DELIVERED), types(events));
    assertEquals(refused.get(0).event().getId(), events.get(0).event().getId());
    assertTrue(
        refused.stream().allMatch(r -> r.type().equals(REQUESTED)),
        "the delivered event waited for the requested one");
    assertEquals(1, knative(reboot, 2).stream().filter(r -> r.type().equals(REQUESTED)).count());
  }

  @Test
  void aSinkThatRefusesKeepsTheEventAsFailedUntilReplayed() {
    EnrolledDevice pc = Api.windows();
    RECEIVER.answer(r -> r.path().equals("/webhook") ? 400 : 202);
    String reboot = Api.request(pc, "rebootNow");
    String ceId =
        RECEIVER
            .await(r -> reboot.equals(r.subject()) && r.status() == 400, 1)
            .get(0)
            .event()
            .getId();
    RECEIVER.answer(r -> 202);

    // The sink answered; the relay settles the batch a moment later.
    await().atMost(EVENTUALLY).untilAsserted(() -> failed().body("items.id", hasItem(ceId)));
    Map<String, Object> delivery = failedDelivery(ceId);
    assertEquals("failed", delivery.get("state"));
    assertTrue(((String) delivery.get("lastError")).endsWith("HTTP 400"));
    assertEquals(1, ((List<?>) delivery.get("deliveredTo")).size(), "K_SINK took it");

    asAdmin().post("/api/v1/event-deliveries/" + ceId + "/replay").then().statusCode(200);
    List<Received> again =
        RECEIVER.await(r -> r.event().getId().equals(ceId) && r.status() == 202, 2);
    assertEquals(
        Set.of("/knative", "/webhook"),
        again.stream().map(Received::path).collect(Collectors.toSet()));
    await().atMost(EVENTUALLY).untilAsserted(() -> failed().body("items.id", not(hasItem(ceId))));
  }

  @Test
  void failedDeliveriesAreForAdminsOnly() {
    as("devices.read", "audit.read")
        .get("/api/v1/event-deliveries?state=failed")
        .then()
        .statusCode(403);
    asAdmin()
        .get("/api/v1/event-deliveries?state=lost")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalidRequest"));
    asAdmin()
        .post("/api/v1/event-deliveries/" + java.util.UUID.randomUUID() + "/replay")
        .then()
        .statusCode(404)
        .body("code", equalTo("eventNotFound"));
  }

  @Test
  void deliveredEventsLeaveTheOutbox() {
    String reboot = Api.request(Api.windows(), "rebootNow");
    webhook(reboot, 1);
    knative(reboot, 1);
    await()
        .atMost(EVENTUALLY)
        .untilAsserted(
            () ->
                asAdmin()
                    .get("/api/v1/event-deliveries?state=pending&limit=500")
                    .then()
                    .body("items.subject", not(hasItem(reboot))));
  }

  private static io.restassured.response.ValidatableResponse failed() {
    return asAdmin().get("/api/v1/event-deliveries?state=failed&limit=500").then().statusCode(200);
  }

  private static Map<String, Object> failedDelivery(String ceId) {
    List<Map<String, Object>> items =
        asAdmin().get("/api/v1/event-deliveries?state=failed&limit=500").path("items");
    return items.stream().filter(i -> ceId.equals(i.get("id"))).findFirst().orElseThrow();
  }

  static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {};
  static final Class<Map<String, Object>> MAP = mapClass();

  @SuppressWarnings("unchecked")
  private static Class<Map<String, Object>> mapClass() {
    return (Class<Map<String, Object>>) (Class<?>) Map.class;
  }

  /** What the /webhook sink accepted for one subject, each event once, in arrival order. */
  static List<Received> webhook(String subject, int count) {
    return accepted("/webhook", subject, count);
  }

  static List<Received> knative(String subject, int count) {
    return accepted("/knative", subject, count);
  }

  private static List<Received> accepted(String path, String subject, int count) {
    List<Received> events =
        RECEIVER.await(
            r -> r.path().equals(path) && subject.equals(r.subject()) && r.status() == 202, count);
    assertEquals(
        events.size(),
        events.stream().map(r -> r.event().getId()).distinct().count(),
        "no event accepted twice");
    assertNull(
        events.stream()
            .filter(r -> !r.type().startsWith("dev.deviceactions."))
            .findAny()
            .orElse(null));
    return events;
  }

  static Map<String, Object> data(Received r) {
    try {
      return JSON.readValue(r.event().getData().toBytes(), MAP_TYPE);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> types(List<Received> events) {
    return events.stream().map(Received::type).toList();
  }

  private static List<String> states(List<Received> events) {
    return events.stream().map(r -> (String) data(r).get("state")).toList();
  }

  private static void checkIn(EnrolledDevice device) {
    asDevice(device).post("/agent/v1/checkin").then().statusCode(200);
  }

  private static void result(EnrolledDevice device, String action, String status) {
    asDevice(device)
        .contentType(ContentType.JSON)
        .body(Map.of("status", status))
        .post("/agent/v1/actions/" + action + "/result")
        .then()
        .statusCode(204);
  }
}
