import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 4. Thousands of generated bad requests over real sockets to the production jar: wrong
 * types, unknown enums, broken JSON, huge bodies, NUL and lone surrogates, SQL metacharacters, bad
 * ids, cursors, limits, tokens, methods and media types. Every one is built to be refused, so every
 * answer must be a 4xx problem+json without internals (in Graph's error shape under /graph);
 * afterwards the app still serves. Request i
 * is generated from seed SEED + i, so a failure replays whatever the thread interleaving.
 */
final class MalformedStorm {
  static final long SEED = 20261122L;

  /** Values that are never a valid enum, UUID, timestamp, cursor or limit. */
  static final List<String> NASTY =
      List.of(
          "' OR 1=1 --",
          "\"; drop table device; --",
          "1; select pg_sleep(10)",
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
          " ",
          "null",
          "true",
          "[]",
          "{}",
          "x".repeat(300),
          "é\u0301\uFEFF",
          "\\u0000",
          "$1",
          "?",
          "*");

  static final List<String> BAD_LIMITS =
      List.of(
          "0",
          "-1",
          "501",
          "abc",
          "1.5",
          "1e3",
          " ",
          "99999999999999999999",
          "' OR 1=1 --",
          "\u0000");

  /** Bodies that no endpoint accepts. */
  static final List<String> BODIES =
      List.of(
          "{",
          "}",
          "[1,2",
          "{\"name\": }",
          "{\"platform\": 7}",
          "{\"platform\": \"blackberry\"}",
          "{\"name\": [\"a\"], \"platform\": \"iOS\", \"osVersion\": \"17\"}",
          "{\"name\": \"a\", \"platform\": \"iOS\", \"osVersion\": \"17\", \"supervised\":"
              + " \"yes\"}",
          "{\"name\": \"a\", \"platform\": \"windows\", \"osVersion\": \"ten\"}",
          "{\"action\": \"selfDestruct\", \"deviceIds\": []}",
          "{\"action\": \"rebootNow\", \"deviceIds\": [\"not-a-uuid\"]}",
          "{\"action\": \"rebootNow\", \"deviceIds\": \"all\"}",
          "{\"action\": \"rebootNow\", \"deviceIds\": [null]}",
          "{\"status\": \"exploded\"}",
          "{\"status\": \"done\", \"newPin\": {\"a\": 1}}",
          "{\"type\": \"selfDestruct\"}",
          "{\"osVersion\": \"ten\"}",
          "{\"supervised\": \"yes\"}",
          "{\"passcodeSet\": []}",
          "{\"message\": \"" + "m".repeat(600) + "\"}",
          "\"just a string\"",
          "42",
          "[]",
          "{\"a\":".repeat(2000),
          "\uFEFF{\"name\": \"bom\"}",
          "{\"name\": \"a\\u0000b\", \"platform\": \"windows\", \"osVersion\": \"10.0\"}",
          "{\"name\": \"a\\ud800b\", \"platform\": \"windows\", \"osVersion\": \"10.0\"}",
          "{\"name\": \"ok\", \"platform\": \"windows\", \"osVersion\": \"10.0\", \"owner\":"
              + " \"\\u0000\"}",
          "{\"osVersion\": \"10.0\\u0000\"}",
          "{\"message\": \"hi\\u0000\"}",
          "{\"status\": \"done\", \"detail\": \"\\u0000\"}");

  /**
   * Bodies a check-in refuses (it takes only optional inventory facts, unknown members ignored).
   */
  static final List<String> CHECKIN_BODIES =
      List.of(
          "{",
          "[1,2",
          "\"just a string\"",
          "42",
          "[]",
          "{\"a\":".repeat(2000),
          "{\"osVersion\": \"ten\"}",
          "{\"osVersion\": \"10.0\\u0000\"}",
          "{\"supervised\": \"yes\"}",
          "{\"passcodeSet\": []}",
          "{\"osVersion\": {\"a\": 1}}");

  /** $filter values outside the Graph subset (or naming what does not exist): all refused. */
  static final List<String> BAD_FILTERS =
      List.of(
          "deviceName ne 'a'",
          "deviceName eq 'a' or 1 eq 1",
          "(deviceName eq 'a')",
          "startswith(deviceName,",
          "deviceName eq '",
          "id eq 'x'",
          "operatingSystem eq 'BeOS'",
          "contains(deviceName,'a')",
          "deviceName eq 'a' and and",
          "deviceName eq 'a' and deviceName eq 'b'",
          "osVersion eq '14'",
          "eq",
          "'",
          "deviceName eq 'a'; drop table device",
          "deviceName eq 5");

  static final List<String> BAD_TOPS =
      List.of("0", "-1", "1001", "abc", "1.5", "1e3", " ", "99999999999999999999", "\u0000");

  /** One generated request: its kind and what exactly it sends, for the failure report. */
  record Bad(String kind, String detail, HttpRequest request) {
    Bad(String kind, HttpRequest request) {
      this(kind, request.method() + " " + request.uri().getRawPath(), request);
    }
  }

  private final Settings settings;
  private final Api api;
  private final Api.Tokens tokens;
  private final String admin;
  private final Fleet.Device pc;
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, List<String>> bad = new ConcurrentHashMap<>();
  private final Queue<Long> latencies = new ConcurrentLinkedQueue<>();

  MalformedStorm(Settings settings, Api api, Api.Tokens tokens, Fleet.Device pc) {
    this.settings = settings;
    this.api = api;
    this.tokens = tokens;
    this.admin = tokens.token("storm@reliability", "admin");
    this.pc = pc;
  }

  Report run() throws Exception {
    Report report =
        new Report(
            "4. malformed input storm: every answer 4xx problem+json, the app keeps serving");
    int total = settings.scale().stormRequests();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(settings.scale().stormClients());
    for (int c = 0; c < settings.scale().stormClients(); c++) {
      pool.submit(
          () -> {
            for (int i; (i = next.getAndIncrement()) < total; ) {
              sendOne(i);
            }
          });
    }
    pool.shutdown();
    report.expect(
        pool.awaitTermination(15, TimeUnit.MINUTES), "the storm did not end within 15 minutes");
    double seconds = (System.nanoTime() - started) / 1e9;
    bad.forEach(
        (kind, seen) ->
            report.expect(
                false,
                "%s: %d answers not a 4xx problem+json, e.g. %s",
                kind,
                seen.size(),
                seen.getFirst()));
    afterwards(report);
    report.figure(
        "%d bad requests by %d clients in %.1f s (%.0f/s): %s; %s",
        total,
        settings.scale().stormClients(),
        seconds,
        total / seconds,
        new TreeMap<>(statuses),
        Report.percentiles(new ArrayList<>(latencies)));
    return report;
  }

  /**
   * Sends request i and files its answer: refused as it should be, or under its kind in {@link
   * #bad}.
   */
  private void sendOne(int i) {
    Bad request;
    try {
      request = generate(new Random(SEED + i));
    } catch (RuntimeException e) {
      bad.computeIfAbsent("generator", k -> new CopyOnWriteArrayList<>()).add("#" + i + " " + e);
      return;
    }
    Api.Answer a = api.send(request.request());
    latencies.add(a.millis());
    statuses.merge(a.lost() ? "lost" : Integer.toString(a.status()), 1, Integer::sum);
    boolean graph = request.request().uri().getRawPath().startsWith("/graph/");
    boolean refused =
        a.status() >= 400
            && a.status() < 500
            && (graph ? a.graphError() : a.problem())
            && a.field("code") != null
            && !a.leaksInternals();
    if (!refused) {
      bad.computeIfAbsent(request.kind(), k -> new CopyOnWriteArrayList<>())
          .add("#" + i + " " + request.detail() + " -> " + a);
    }
  }

  /** The app still answers valid requests, and is ready. */
  private void afterwards(Report report) {
    Api.Answer read = api.get("/api/v1/devices/" + pc.id(), admin);
    Api.Answer reboot = api.post("/api/v1/devices/" + pc.id() + "/rebootNow", admin);
    Api.Answer ready = api.get("/q/health/ready", null);
    report.expect(
        read.status() == 200 && reboot.status() == 202 && ready.status() == 200,
        "after the storm: read %s, rebootNow %s, ready %s",
        read,
        reboot,
        ready);
    report.figure(
        "afterwards: GET device %d, rebootNow %d, readiness %d",
        read.status(), reboot.status(), ready.status());
  }

  private Bad generate(Random r) {
    String nasty = pick(r, NASTY);
    String body = pick(r, BODIES);
    String device = "/api/v1/devices/" + pc.id();
    return switch (r.nextInt(21)) {
      case 0 -> json("enroll", "/api/v1/devices", admin, body);
      case 1 ->
          get("platform", "/api/v1/devices?platform=" + enc(nasty) + "&q=" + enc(pick(r, NASTY)));
      case 2 ->
          get(
              "limit",
              "/api/v1/devices?limit=" + enc(pick(r, BAD_LIMITS)) + "&cursor=" + enc(nasty));
      case 3 ->
          get(
              "cursor",
              pick(r, List.of("/api/v1/devices", "/api/v1/device-actions", "/api/v1/audit-events"))
                  + "?cursor="
                  + enc(nasty));
      case 4 -> get("device id", "/api/v1/devices/" + enc(nasty));
      case 5 -> json("remoteLock on a PC", device + "/remoteLock", admin, body);
      case 6 ->
          new Bad(
              "action on bad id",
              api.request(
                      "/api/v1/devices/"
                          + enc(nasty)
                          + "/"
                          + pick(r, List.of("rebootNow", "remoteLock", "resetPin")),
                      admin)
                  .header("Idempotency-Key", headerSafe(nasty))
                  .POST(BodyPublishers.noBody())
                  .build());
      case 7 ->
          new Bad(
              "idempotency key",
              api.request(device + "/rebootNow", admin)
                  .header("Idempotency-Key", "k".repeat(201 + r.nextInt(50)))
                  .POST(BodyPublishers.noBody())
                  .build());
      case 8 -> json("bulk", "/api/v1/device-actions/bulk", admin, body);
      case 9 ->
          get(
              "status view",
              "/api/v1/device-actions?"
                  + pick(
                      r, List.of("state", "action", "deviceId", "bulkActionId", "since", "until"))
                  + "="
                  + enc(nasty)
                  + "&initiatedBy="
                  + enc(pick(r, NASTY)));
      case 10 -> json("check-in", "/agent/v1/checkin", pc.token(), pick(r, CHECKIN_BODIES));
      case 11 -> json("result", "/agent/v1/actions/" + enc(nasty) + "/result", pc.token(), body);
      case 12 -> json("event", "/agent/v1/events", pc.token(), body);
      case 13 ->
          get(
              "audit",
              "/api/v1/audit-events?"
                  + pick(r, List.of("since", "deviceId"))
                  + "="
                  + enc(nasty)
                  + "&actor="
                  + enc(pick(r, NASTY))
                  + "&activity="
                  + enc(pick(r, NASTY)));
      case 14 -> huge(r);
      case 17, 18 -> graph(r);
      case 19, 20 -> approvals(r);
      case 15 ->
          get(
              "free text",
              pick(
                      r,
                      List.of(
                          "/api/v1/devices?q=",
                          "/api/v1/audit-events?actor=",
                          "/api/v1/device-actions?initiatedBy="))
                  + enc(pick(r, List.of("a\u0000b", "\u0000", "'\u0000 OR 1=1 --"))));
      default -> protocol(r);
    };
  }

  /** Bodies over the limits: 64 KiB for single requests, 1 MiB for bulk, 4 MiB for anything. */
  private Bad huge(Random r) {
    String name = "n".repeat(100 * 1024);
    String enroll = "{\"name\":\"" + name + "\",\"platform\":\"windows\",\"osVersion\":\"10.0\"}";
    String bulk =
        "{\"action\":\"rebootNow\",\"deviceIds\":["
            + ("\"" + pc.id() + "\",").repeat(40_000)
            + "\""
            + pc.id()
            + "\"]}";
    return switch (r.nextInt(4)) {
      case 0 -> sized("enroll 100 KiB", "/api/v1/devices", enroll);
      case 1 -> sized("bulk 1.5 MiB", "/api/v1/device-actions/bulk", bulk);
      case 2 ->
          sized("enroll 5 MiB", "/api/v1/devices", "{\"name\":\"" + "n".repeat(5 << 20) + "\"}");
      default ->
          new Bad(
              "enroll 100 KiB chunked",
              api.request("/api/v1/devices", admin)
                  .header("Content-Type", "application/json")
                  .POST(
                      BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(enroll.getBytes(StandardCharsets.UTF_8))))
                  .build());
    };
  }

  /** Policies no one may create: unknown actions, thresholds below 1, wrong types. */
  static final List<String> BAD_POLICIES =
      List.of(
          "{\"displayName\":\"p\",\"actions\":[\"wipe\"],\"minimumDevices\":1}",
          "{\"displayName\":\"p\",\"actions\":[\"remoteLock\"],\"minimumDevices\":0}",
          "{\"displayName\":\"p\",\"actions\":[],\"minimumDevices\":1}",
          "{\"displayName\":\"\",\"actions\":[\"rebootNow\"],\"minimumDevices\":1}",
          "{\"displayName\":\"p\",\"actions\":\"rebootNow\",\"minimumDevices\":\"one\"}",
          "{\"displayName\":\"p\",\"actions\":[\"rebootNow\"],\"minimumDevices\":10001}");

  /** Multi-admin approval's routes: bad policies, request ids, statuses, cursors and decisions. */
  private Bad approvals(Random r) {
    String nasty = pick(r, NASTY);
    String requests = "/api/v1/approval-requests";
    return switch (r.nextInt(6)) {
      case 0 ->
          json(
              "approval policy",
              "/api/v1/approval-policies",
              admin,
              pick(r, r.nextBoolean() ? BAD_POLICIES : BODIES));
      case 1 ->
          get(
              "approval requests",
              requests + "?" + pick(r, List.of("status", "cursor", "limit")) + "=" + enc(nasty));
      case 2 ->
          json(
              "approval decision",
              requests + "/" + enc(nasty) + "/" + pick(r, List.of("approve", "reject", "cancel")),
              admin,
              pick(r, BODIES));
      case 3 -> get("approval request id", requests + "/" + enc(nasty));
      case 4 ->
          json(
              "graph approval decision",
              "/graph/beta/deviceManagement/operationApprovalRequests/"
                  + enc(nasty)
                  + "/"
                  + pick(r, List.of("approve", "reject")),
              admin,
              pick(r, BODIES));
      default ->
          get(
              "graph approval requests",
              "/graph/beta/deviceManagement/operationApprovalRequests?$filter="
                  + enc(pick(r, List.of("status eq 'pending'", "id eq 'x'", nasty))));
    };
  }

  /** The Graph-compatible routes: OData outside the subset, bad ids, bodies, media types, paths. */
  private Bad graph(Random r) {
    String base = "/graph/" + pick(r, List.of("v1.0", "beta")) + "/deviceManagement";
    String devices = base + "/managedDevices";
    String execute = "/graph/beta/deviceManagement/managedDevices/executeAction";
    String nasty = pick(r, NASTY);
    return switch (r.nextInt(12)) {
      case 0 -> get("graph $filter", devices + "?$filter=" + enc(pick(r, BAD_FILTERS)));
      case 1 -> get("graph $top", devices + "?$top=" + enc(pick(r, BAD_TOPS)));
      case 2 ->
          get(
              "graph option",
              devices
                  + "?"
                  + pick(r, List.of("$orderby", "$count", "$expand", "$search", "$skip", "q"))
                  + "="
                  + enc(nasty));
      case 3 ->
          get(
              "graph $select/$skiptoken",
              devices + "?" + pick(r, List.of("$select", "$skiptoken")) + "=" + enc(nasty));
      case 4 -> get("graph device id", devices + "/" + enc(nasty) + "?$select=deviceName");
      case 5 -> json("graph remoteLock on a PC", devices + "/" + pc.id() + "/remoteLock", admin, "");
      case 6 ->
          new Bad(
              "graph action on bad id",
              api.request(
                      devices
                          + "/"
                          + enc(nasty)
                          + "/"
                          + pick(r, List.of("rebootNow", "remoteLock", "resetPasscode")),
                      admin)
                  .POST(BodyPublishers.noBody())
                  .build());
      case 7 -> json("graph executeAction", execute, admin, pick(r, BODIES));
      case 8 ->
          get(
              "graph remoteActionAudits",
              "/graph/beta/deviceManagement/remoteActionAudits?$filter="
                  + enc(pick(r, List.of("action eq 'wipe'", "actionState eq 'x'", nasty)))
                  + "&$top="
                  + enc(pick(r, BAD_TOPS)));
      case 9 -> new Bad("graph no token", api.request(devices, null).GET().build());
      case 10 ->
          new Bad(
              "graph text/plain",
              api.request(execute, admin)
                  .header("Content-Type", "text/plain")
                  .POST(BodyPublishers.ofString("rebootNow"))
                  .build());
      default ->
          get("graph unknown path", "/graph/" + enc(nasty) + "/deviceManagement/" + enc(nasty));
    };
  }

  /** Wrong credentials, roles, methods, media types and paths. */
  private Bad protocol(Random r) {
    String devices = "/api/v1/devices";
    String enroll = "{\"name\":\"a\",\"platform\":\"windows\",\"osVersion\":\"10.0\"}";
    return switch (r.nextInt(10)) {
      case 0 -> new Bad("no token", api.request(devices, null).GET().build());
      case 1 -> new Bad("garbage token", api.request(devices, "not.a.jwt").GET().build());
      case 2 ->
          new Bad(
              "expired token",
              api.request(devices, tokens.sign(Api.ISSUER, "late", -120, "admin")).GET().build());
      case 3 ->
          new Bad(
              "foreign issuer",
              api.request(devices, tokens.sign("https://elsewhere", "x", 3600, "admin"))
                  .GET()
                  .build());
      case 4 ->
          new Bad(
              "lacks the role",
              api.request(
                      devices + "/" + pc.id() + "/rebootNow",
                      tokens.token("reader", "devices.read"))
                  .POST(BodyPublishers.noBody())
                  .build());
      case 5 ->
          new Bad("device token on the admin API", api.request(devices, pc.token()).GET().build());
      case 6 ->
          new Bad(
              "text/plain body",
              api.request(devices, admin)
                  .header("Content-Type", "text/plain")
                  .POST(BodyPublishers.ofString(enroll))
                  .build());
      case 7 ->
          new Bad(
              "Accept text/html",
              api.request(devices, admin).header("Accept", "text/html").GET().build());
      case 8 ->
          new Bad("PUT", api.request(devices, admin).PUT(BodyPublishers.ofString(enroll)).build());
      default ->
          new Bad(
              "unknown path",
              api.request("/api/v1/" + enc(pick(r, NASTY)) + "/x", admin).GET().build());
    };
  }

  private Bad get(String what, String path) {
    return new Bad(what, path, api.request(path, admin).GET().build());
  }

  private Bad json(String what, String path, String token, String body) {
    String shown = body.length() > 80 ? body.substring(0, 80) + "..." : body;
    return new Bad(
        what,
        path + " " + shown,
        api.request(path, token)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body))
            .build());
  }

  /** A declared length, sent after 100-continue as large uploads are, so a refusal comes first. */
  private Bad sized(String what, String path, String body) {
    return new Bad(
        what,
        path + " " + body.length() + " chars",
        api.request(path, admin)
            .header("Content-Type", "application/json")
            .expectContinue(true)
            .POST(BodyPublishers.ofString(body))
            .build());
  }

  /** java.net.http refuses control and non-Latin-1 characters in headers; those become too long. */
  private static String headerSafe(String value) {
    boolean printable = !value.isEmpty() && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return printable ? value : "k".repeat(201);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String pick(Random r, List<String> values) {
    return values.get(r.nextInt(values.size()));
  }
}
