import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1. Many clients send remoteLock (one per Mac) and rebootNow requests, each with its own
 * Idempotency-Key; the app is killed with SIGKILL mid-burst and started again; every request whose
 * answer was lost is retried with the same key until answered. Then the database must hold exactly
 * one action per key, the one each 202 named, and nothing else.
 */
final class KillDuringBurst {
  /** One request of the burst. */
  record Call(String key, String deviceId, String action) {
    String path() {
      return "/api/v1/devices/" + deviceId + "/" + action;
    }
  }

  private final Settings settings;
  private final App app;
  private final Postgres db;
  private final Api api;
  private final Api.Tokens tokens;
  private final List<Fleet.Device> windows;
  private final Report report =
      new Report("1. kill -9 during an idempotent burst; restart; retry what was lost");

  KillDuringBurst(
      Settings settings,
      App app,
      Postgres db,
      Api api,
      Api.Tokens tokens,
      List<Fleet.Device> windows) {
    this.settings = settings;
    this.app = app;
    this.db = db;
    this.api = api;
    this.tokens = tokens;
    this.windows = windows;
  }

  Report run() throws Exception {
    for (int round = 1; round <= settings.scale().killRounds(); round++) {
      round(round);
    }
    return report;
  }

  private void round(int round) throws Exception {
    String actor = "burst-" + round + "@reliability";
    String token = tokens.token(actor, "admin");
    List<Call> calls = calls(round);
    Burst burst = burst(calls, token);
    Map<String, String> acknowledged = acknowledged(round, burst.answers());
    List<Call> lost =
        calls.stream()
            .filter(
                c -> burst.answers().containsKey(c.key()) && burst.answers().get(c.key()).lost())
            .toList();

    // Before the restart: every 202 must already be durable, and some lost answers hide a commit.
    Map<String, String> committed = keysInDatabase(actor);
    acknowledged.forEach(
        (key, id) ->
            report.expect(
                id.equals(committed.get(key)),
                "round %d: key %s got 202 with action %s but the database has %s",
                round,
                key,
                id,
                committed.get(key)));
    long lostCommitted = lost.stream().filter(c -> committed.containsKey(c.key())).count();

    double restart = app.start();
    Map<String, String> retried = retry(round, lost, token, committed);
    int replayed = replayAfterRestart(round, calls, acknowledged, token);
    Map<String, String> answered = new HashMap<>(acknowledged);
    answered.putAll(retried);
    long duplicates = checkDatabase(round, actor, answered, burst.answers().size());

    report.figure(
        "round %d: %d clients sent %d of %d requests before the kill -9 (at %d answers);"
            + " 202 before the kill: %d (%s)",
        round,
        settings.scale().burstClients(),
        burst.answers().size(),
        calls.size(),
        burst.answeredAtKill(),
        acknowledged.size(),
        Report.percentiles(
            burst.answers().values().stream()
                .filter(a -> !a.lost())
                .map(Api.Answer::millis)
                .toList()));
    report.figure(
        "round %d: answers lost %d (of which the action had committed: %d); recovered by"
            + " retry with the same key: %d of %d; restart to ready %.1f s; 202s resent after the"
            + " restart: %d, same action: %d; duplicates: %d",
        round,
        lost.size(),
        lostCommitted,
        retried.size(),
        lost.size(),
        restart,
        Math.min(100, acknowledged.size()),
        replayed,
        duplicates);
  }

  /** The burst's answers by key, and how many had come back when the app was killed. */
  record Burst(Map<String, Api.Answer> answers, int answeredAtKill) {}

  /** Key to action id of every 202; any other answer before the kill is a failure. */
  private Map<String, String> acknowledged(int round, Map<String, Api.Answer> answers) {
    Map<String, String> acknowledged = new HashMap<>();
    answers.forEach(
        (key, a) -> {
          if (a.status() == 202) {
            acknowledged.put(key, a.field("id"));
          } else {
            report.expect(a.lost(), "round %d: key %s answered %s before the kill", round, key, a);
          }
        });
    return acknowledged;
  }

  /** Runs the burst, kills the app once 40% of the requests were answered; answers by key. */
  private Burst burst(List<Call> calls, String token) throws Exception {
    Map<String, Api.Answer> answers = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    int clients = settings.scale().burstClients();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.submit(
          () -> {
            int i;
            while (!killed.get() && (i = next.getAndIncrement()) < calls.size()) {
              Api.Answer a = api.send(post(calls.get(i), token));
              answers.put(calls.get(i).key(), a);
              if (!a.lost()) {
                answered.incrementAndGet();
              }
            }
          });
    }
    int killAt = calls.size() * 2 / 5;
    while (answered.get() < killAt && next.get() < calls.size()) {
      Thread.sleep(2);
    }
    app.kill9();
    int answeredAtKill = answered.get();
    killed.set(true);
    pool.shutdown();
    report.expect(
        pool.awaitTermination(60, TimeUnit.SECONDS), "burst clients did not stop within 60 s");
    return new Burst(answers, answeredAtKill);
  }

  /** Retries each lost request with its key until it is answered; returns key to action id. */
  private Map<String, String> retry(
      int round, List<Call> lost, String token, Map<String, String> committed) throws Exception {
    Map<String, String> recovered = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (Call call : lost) {
      pool.submit(
          () -> {
            Api.Answer a = api.send(post(call, token));
            for (int attempt = 1; a.lost() && attempt < 50; attempt++) {
              sleep(100);
              a = api.send(post(call, token));
            }
            String was = committed.get(call.key());
            if (report.expect(
                    a.status() == 202, "round %d: retry of %s answered %s", round, call.key(), a)
                && report.expect(
                    was == null || was.equals(a.field("id")),
                    "round %d: retry of %s created %s although %s had committed",
                    round,
                    call.key(),
                    a.field("id"),
                    was)) {
              recovered.put(call.key(), a.field("id"));
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(120, TimeUnit.SECONDS);
    return recovered;
  }

  /** Up to 100 requests acknowledged before the kill, sent again: the same action comes back. */
  private int replayAfterRestart(
      int round, List<Call> calls, Map<String, String> acknowledged, String token) {
    int same = 0;
    for (Call call :
        calls.stream().filter(c -> acknowledged.containsKey(c.key())).limit(100).toList()) {
      Api.Answer a = api.send(post(call, token));
      if (report.expect(
          a.status() == 202 && acknowledged.get(call.key()).equals(a.field("id")),
          "round %d: %s resent after the restart answered %s, expected 202 with %s",
          round,
          call.key(),
          a,
          acknowledged.get(call.key()))) {
        same++;
      }
    }
    return same;
  }

  /** Every sent key is in the database with the action its 202 named; no action without a key. */
  private long checkDatabase(int round, String actor, Map<String, String> accepted, int sent)
      throws Exception {
    report.expect(
        accepted.size() == sent,
        "round %d: %d requests sent but %d got their 202",
        round,
        sent,
        accepted.size());
    Map<String, String> keys = keysInDatabase(actor);
    report.expect(
        keys.equals(accepted),
        "round %d: idempotency keys in the database (%d) differ from the 202 answers (%d)",
        round,
        keys.size(),
        accepted.size());
    List<String> actions =
        db.query("select id from device_action where initiated_by = '" + actor + "'");
    Set<String> answeredIds = new HashSet<>(accepted.values());
    report.expect(
        answeredIds.size() == accepted.size(),
        "round %d: two keys were answered with the same action",
        round);
    report.expect(
        new HashSet<>(actions).equals(answeredIds),
        "round %d: %d actions in the database, %d distinct actions answered",
        round,
        actions.size(),
        answeredIds.size());
    long twiceLocked =
        db.count(
            "select count(*) from (select device_id from device_action where"
                + " initiated_by = '"
                + actor
                + "' and action = 'remoteLock' group by device_id"
                + " having count(*) > 1) t");
    report.expect(twiceLocked == 0, "round %d: %d Macs got two locks", round, twiceLocked);
    long audited =
        db.count(
            "select count(*) from audit_event where actor = '"
                + actor
                + "' and activity = 'actionRequested' and outcome = 'accepted'");
    report.expect(
        audited == actions.size(),
        "round %d: %d actions but %d accepted audit events",
        round,
        actions.size(),
        audited);
    return actions.size() - answeredIds.size();
  }

  private Map<String, String> keysInDatabase(String actor) throws Exception {
    Map<String, String> keys = new HashMap<>();
    for (String row :
        db.query("select key, action_id from idempotency_key where actor = '" + actor + "'")) {
      String[] cols = row.split("\\|");
      keys.put(cols[0], cols[1]);
    }
    return keys;
  }

  /** One remoteLock per new Mac (a second would meet the PIN guard), the rest rebootNow on PCs. */
  private List<Call> calls(int round) throws Exception {
    String admin = tokens.token("reliability@reliability", "admin");
    List<Fleet.Device> macs =
        Fleet.enroll(api, admin, Fleet.MAC, "burst" + round + "-mac", settings.scale().burstMacs());
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < settings.scale().burstRequests(); i++) {
      String key = "r" + round + "-" + i;
      calls.add(
          i < macs.size()
              ? new Call(key, macs.get(i).id(), "remoteLock")
              : new Call(key, windows.get(i % windows.size()).id(), "rebootNow"));
    }
    Collections.shuffle(calls, new Random(round));
    return calls;
  }

  private HttpRequest post(Call call, String token) {
    return api.request(call.path(), token)
        .header("Idempotency-Key", call.key())
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
