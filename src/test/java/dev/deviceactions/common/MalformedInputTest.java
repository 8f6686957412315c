package dev.deviceactions.common;

import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A storm of generated bad requests (wrong types, unknown enums, broken JSON, odd unicode, SQL
 * metacharacters, bad ids, cursors and limits) on every endpoint, approval policies and requests
 * included: each answer is a 4xx problem+json, never a 5xx, and the app keeps serving. Seeded, so a
 * failure replays.
 */
@QuarkusTest
class MalformedInputTest {
  static final long SEED = 20261122L;

  static final List<String> NASTY =
      List.of(
          "' OR 1=1 --",
          "\"; drop table device; --",
          "%00",
          "\u0000",
          "\uD83D\uDE00\u202E\u0301",
          "𝕯𝖊𝖛𝖎𝖈𝖊",
          "../../etc/passwd",
          "${jndi:ldap://x}",
          "<script>alert(1)</script>",
          "-1",
          "99999999999999999999",
          "1e309",
          "",
          " ",
          "null",
          "true",
          "[]",
          "{}",
          "x".repeat(300));

  static final List<String> BODIES =
      List.of(
          "{",
          "}",
          "[1,2",
          "{\"name\": }",
          "{\"platform\": 7}",
          "{\"platform\": \"blackberry\"}",
          "{\"name\": [\"a\"], \"platform\": \"iOS\", \"osVersion\": \"17\"}",
          "{\"name\": \"a\", \"platform\": \"iOS\", \"osVersion\": 17.4}",
          "{\"name\": \"a\", \"platform\": \"iOS\", \"osVersion\": \"17\", \"supervised\": \"yes\"}",
          "{\"action\": \"selfDestruct\", \"deviceIds\": []}",
          "{\"action\": \"rebootNow\", \"deviceIds\": [\"not-a-uuid\"]}",
          "{\"action\": \"rebootNow\", \"deviceIds\": \"all\"}",
          "{\"action\": \"rebootNow\", \"deviceIds\": [null]}",
          "{\"status\": \"exploded\"}",
          "{\"status\": \"done\", \"newPin\": {\"a\": 1}}",
          "{\"type\": 5}",
          "{\"osVersion\": \"ten\"}",
          "{\"message\": " + "\"" + "m".repeat(600) + "\"}",
          "{\"justification\": " + "\"" + "j".repeat(600) + "\"}",
          "{\"justification\": 5}",
          "{\"displayName\": \"p\", \"actions\": [\"wipe\"], \"minimumDevices\": 1}",
          "{\"displayName\": \"p\", \"actions\": [\"remoteLock\"], \"minimumDevices\": 0}",
          "{\"displayName\": \"p\", \"actions\": \"remoteLock\", \"minimumDevices\": 1}",
          "{\"id\": 7, \"approvalSource\": \"fax\"}",
          "\"just a string\"",
          "42",
          "null",
          "{\"a\":".repeat(2000),
          "\uFEFF{\"name\": \"bom\"}");

  @Test
  void everyBadRequestIsA4xxProblemAndTheAppKeepsServing() {
    Random random = new Random(SEED);
    Api.EnrolledDevice device = Api.windows();
    String admin = Api.token("storm@example.com", "admin");
    List<String> failures = new ArrayList<>();
    int rejected = 0;
    for (int i = 0; i < 2_000; i++) {
      String nasty = NASTY.get(random.nextInt(NASTY.size()));
      String body = BODIES.get(random.nextInt(BODIES.size()));
      boolean asDevice = random.nextInt(5) == 0;
      RequestSpecification request =
          given().auth().oauth2(asDevice ? device.token() : admin).urlEncodingEnabled(true);
      Response response =
          switch (random.nextInt(16)) {
            case 0 -> json(request, body).post("/api/v1/devices");
            case 1 ->
                request.queryParam("q", nasty).queryParam("platform", nasty).get("/api/v1/devices");
            case 2 ->
                request
                    .queryParam("limit", nasty)
                    .queryParam("cursor", nasty)
                    .get("/api/v1/devices");
            case 3 -> request.get("/api/v1/devices/" + encode(nasty));
            case 4 -> json(request, body).post("/api/v1/devices/" + device.id() + "/remoteLock");
            case 5 ->
                request
                    .header(
                        "Idempotency-Key",
                        nasty.isEmpty() ? "x".repeat(201) : nasty.replace("\u0000", ""))
                    .post("/api/v1/devices/" + encode(nasty) + "/rebootNow");
            case 6 -> json(request, body).post("/api/v1/device-actions/bulk");
            case 7 ->
                request
                    .queryParam("state", nasty)
                    .queryParam("since", nasty)
                    .queryParam("deviceId", nasty)
                    .get("/api/v1/device-actions");
            case 8 -> json(request, body).post("/agent/v1/checkin");
            case 9 -> json(request, body).post("/agent/v1/actions/" + encode(nasty) + "/result");
            case 10 -> json(request, body).post("/agent/v1/events");
            case 12 -> json(request, body).post("/api/v1/approval-policies");
            case 13 ->
                request
                    .queryParam("status", nasty)
                    .queryParam("requestedBy", nasty)
                    .queryParam(random.nextBoolean() ? "cursor" : "limit", nasty)
                    .get("/api/v1/approval-requests");
            case 14 ->
                json(request, body)
                    .post(
                        "/api/v1/approval-requests/"
                            + encode(nasty)
                            + "/"
                            + List.of("approve", "reject", "cancel").get(random.nextInt(3)));
            case 15 -> json(request, body).patch("/api/v1/approval-policies/" + encode(nasty));
            default ->
                request
                    .queryParam("activity", nasty)
                    .queryParam("since", nasty)
                    .get("/api/v1/audit-events");
          };
      int status = response.statusCode();
      rejected += status >= 400 && status < 500 ? 1 : 0;
      boolean problem =
          String.valueOf(response.contentType()).startsWith("application/problem+json");
      boolean fine = status < 300 || (status >= 400 && status < 500 && problem);
      if (!fine) {
        failures.add(i + ": " + status + " " + response.contentType() + " " + response.asString());
      }
      if (status >= 500) {
        failures.add(i + ": 5xx");
      }
    }
    assertEquals(List.of(), failures.stream().limit(10).toList(), failures.size() + " bad answers");
    assertTrue(
        rejected > 1_500, "the storm should be mostly refused, was " + rejected + " of 2000");
    System.out.println(
        "malformed input storm: " + rejected + " of 2000 refused with 4xx problem+json, no 5xx");
    asAdmin().get("/api/v1/devices/" + device.id()).then().statusCode(200);
    assertTrue(given().get("/q/health/ready").statusCode() == 200);
  }

  /**
   * OData fragments around the supported subset: each one is either served or refused, never a 5xx.
   */
  static final List<String> ODATA =
      List.of(
          "deviceName eq 'a'",
          "startswith(deviceName,'x') and operatingSystem eq 'macOS'",
          "deviceName ne 'a'",
          "deviceName eq 'a' or 1 eq 1",
          "(deviceName eq 'a')",
          "startswith(deviceName,",
          "deviceName eq 'it''s'",
          "deviceName eq '",
          "id eq 'x'",
          "managedDeviceId eq '00000000-0000-0000-0000-000000000000'",
          "action eq 'wipe'",
          "actionState eq 'done' and actionState eq 'failed'",
          "contains(deviceName,'a')",
          "deviceName eq 'a' and and",
          "deviceName eq 'a' and deviceName",
          "eq",
          "'");

  @Test
  void everyBadGraphRequestIsA4xxInGraphsErrorShape() {
    Random random = new Random(SEED + 16);
    Api.EnrolledDevice device = Api.windows();
    String admin = Api.token("storm@example.com", "admin");
    String base = "/graph/" + (random.nextBoolean() ? "v1.0" : "beta") + "/deviceManagement";
    List<String> failures = new ArrayList<>();
    int rejected = 0;
    for (int i = 0; i < 1_000; i++) {
      String nasty = NASTY.get(random.nextInt(NASTY.size()));
      String odata = random.nextBoolean() ? ODATA.get(random.nextInt(ODATA.size())) : nasty;
      String body = BODIES.get(random.nextInt(BODIES.size()));
      RequestSpecification request =
          given()
              .auth()
              .oauth2(random.nextInt(8) == 0 ? device.token() : admin)
              .urlEncodingEnabled(true);
      Response response =
          switch (random.nextInt(12)) {
            case 0 ->
                request
                    .queryParam("$filter", odata)
                    .queryParam("$top", random.nextBoolean() ? "2" : nasty)
                    .get(base + "/managedDevices");
            case 1 ->
                request
                    .queryParam(random.nextBoolean() ? "$select" : "$skiptoken", nasty)
                    .get(base + "/managedDevices");
            case 2 ->
                request
                    .queryParam("$select", nasty)
                    .get(
                        base
                            + "/managedDevices/"
                            + encode(random.nextBoolean() ? nasty : device.id()));
            case 3 ->
                json(request, body).post(base + "/managedDevices/" + encode(nasty) + "/remoteLock");
            case 4 ->
                json(request, body).post(base + "/managedDevices/" + device.id() + "/remoteLock");
            case 5 ->
                json(request, body)
                    .post("/graph/beta/deviceManagement/managedDevices/executeAction");
            case 6 ->
                request
                    .queryParam("$filter", odata)
                    .queryParam(random.nextBoolean() ? "$top" : "$orderby", nasty)
                    .get("/graph/beta/deviceManagement/remoteActionAudits");
            case 8 ->
                request
                    .queryParam(
                        "$filter", random.nextBoolean() ? "status eq '" + nasty + "'" : odata)
                    .queryParam("$top", random.nextBoolean() ? "2" : nasty)
                    .get("/graph/beta/deviceManagement/operationApprovalRequests");
            case 9 ->
                json(request, body)
                    .post(
                        "/graph/beta/deviceManagement/operationApprovalRequests/"
                            + encode(nasty)
                            + (random.nextBoolean() ? "/approve" : "/reject"));
            case 10 ->
                json(request, body)
                    .post("/graph/beta/deviceManagement/operationApprovalRequests/cancelMyRequest");
            default ->
                request.get("/graph/" + encode(nasty) + "/deviceManagement/" + encode(nasty));
          };
      int status = response.statusCode();
      rejected += status >= 400 && status < 500 ? 1 : 0;
      boolean graphShape =
          String.valueOf(response.contentType()).startsWith("application/json")
              && response.asString().contains("\"innerError\"")
              && response.path("error.code") != null;
      boolean fine = status < 300 || (status >= 400 && status < 500 && graphShape);
      if (!fine) {
        failures.add(i + ": " + status + " " + response.contentType() + " " + response.asString());
      }
    }
    assertEquals(List.of(), failures.stream().limit(10).toList(), failures.size() + " bad answers");
    assertTrue(rejected > 700, "the storm should be mostly refused, was " + rejected + " of 1000");
    System.out.println(
        "malformed Graph storm: "
            + rejected
            + " of 1000 refused with 4xx in Graph's shape, no 5xx");
    asAdmin()
        .get("/graph/v1.0/deviceManagement/managedDevices/" + device.id())
        .then()
        .statusCode(200);
  }

  @Test
  void textTheDatabaseCannotStoreIs400NamingWhereItWas() {
    String nul = "{\"name\":\"a\\u0000b\",\"platform\":\"windows\",\"osVersion\":\"10.0\"}";
    String loneSurrogate = nul.replace("\\u0000", "\\ud800");
    for (String body : List.of(nul, loneSurrogate)) {
      json(asAdmin(), body)
          .post("/api/v1/devices")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("name"));
    }
    Map<String, String> freeText =
        Map.of(
            "q", "/api/v1/devices",
            "initiatedBy", "/api/v1/device-actions",
            "actor", "/api/v1/audit-events");
    freeText.forEach(
        (param, path) ->
            asAdmin()
                .queryParam(param, "x\u0000")
                .get(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(param)));
  }

  /** Sent after 100-continue, as clients send large bodies, so that the refusal can be read. */
  @Test
  void aBodyOverQuarkusOwnCapIsStillA413Problem() throws Exception {
    String fiveMebibytes = "{\"name\":\"" + "n".repeat(5 << 20) + "\"}";
    HttpResponse<String> response =
        Api.postLargeJson(
            "/api/v1/devices", Api.token("storm@example.com", "admin"), fiveMebibytes);
    assertEquals(413, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(response.body().contains("\"code\":\"payloadTooLarge\""), response.body());
    asAdmin().get("/api/v1/devices").then().statusCode(200);
  }

  /**
   * A client still sending its body, as a device on a slow link does, reads the refusal when it has
   * sent it: the server reads and drops the body first, as closing a connection that still receives
   * resets it, and the client's next write fails before it reads the answer.
   */
  @Test
  void aBodyOverItsLimitSentSlowlyStillGetsItsAnswer() throws Exception {
    byte[] chunk = "n".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    int chunks = 16;
    String head =
        "POST /api/v1/devices HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "Content-Type: application/json\r\nAuthorization: Bearer "
            + Api.token("storm@example.com", "admin")
            + "\r\nContent-Length: "
            + chunk.length * chunks
            + "\r\n\r\n";
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < chunks; i++) {
        out.write(chunk);
        out.flush();
        Thread.sleep(20);
      }
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("\"code\":\"payloadTooLarge\""), answer);
    }
  }

  private static RequestSpecification json(RequestSpecification request, String body) {
    return request.contentType("application/json").body(body);
  }

  private static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
