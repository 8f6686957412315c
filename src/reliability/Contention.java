import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 3. Fifty concurrent macOS locks on one Mac: exactly one 202, the rest 409
 * recoveryPinOutstanding, one action stored. Two concurrent sweeps, over HTTP and as two one-shot
 * `sweep` processes, over rows seeded as expired: their counts sum to the seeded numbers, every row
 * is purged or timed out, and each timed-out restart is audited exactly once.
 */
final class Contention {
  static final int LOCKS = 50;
  static final String[] KINDS = {"purgedRecoveryPins", "purgedPasscodes", "timedOutRestarts"};

  private final Settings settings;
  private final App app;
  private final Postgres db;
  private final Api api;
  private final String admin;

  Contention(Settings settings, App app, Postgres db, Api api, Api.Tokens tokens) {
    this.settings = settings;
    this.app = app;
    this.db = db;
    this.api = api;
    this.admin = tokens.token("contention@reliability", "admin");
  }

  Report locks() throws Exception {
    Report report =
        new Report("3a. " + LOCKS + " concurrent macOS locks on one Mac: exactly one accepted");
    List<Long> latencies = new ArrayList<>();
    int rounds = settings.scale().lockRounds();
    int accepted = 0;
    int refused = 0;
    for (int round = 1; round <= rounds; round++) {
      Fleet.Device mac = Fleet.enroll(api, admin, Fleet.MAC, "lock-" + round, 1).getFirst();
      List<Api.Answer> answers =
          all(LOCKS, () -> api.post("/api/v1/devices/" + mac.id() + "/remoteLock", admin));
      answers.forEach(a -> latencies.add(a.millis()));
      List<Api.Answer> ok = answers.stream().filter(a -> a.status() == 202).toList();
      long conflicts =
          answers.stream()
              .filter(
                  a ->
                      a.status() == 409
                          && a.problem()
                          && "recoveryPinOutstanding".equals(a.field("code")))
              .count();
      accepted += ok.size();
      refused += (int) conflicts;
      report.expect(
          ok.size() == 1 && conflicts == LOCKS - 1,
          "round %d: %d accepted, %d refused with 409 recoveryPinOutstanding, e.g. %s",
          round,
          ok.size(),
          conflicts,
          answers.getFirst());
      long stored =
          db.count("select count(*) from device_action where device_id = '" + mac.id() + "'");
      String guard =
          db.query("select outstanding_pin_action_id from device where id = '" + mac.id() + "'")
              .getFirst();
      report.expect(
          stored == 1 && ok.size() == 1 && guard.equals(ok.getFirst().field("id")),
          "round %d: %d actions stored, PIN guard held by %s",
          round,
          stored,
          guard);
    }
    report.figure(
        "%d rounds of %d simultaneous locks: %d accepted (one per round), %d refused with"
            + " 409 recoveryPinOutstanding problem+json; one action stored per Mac; %s",
        rounds, LOCKS, accepted, refused, Report.percentiles(latencies));
    return report;
  }

  Report sweeps() throws Exception {
    Report report =
        new Report("3b. two concurrent sweeps over expired rows: each row counted once");
    int rows = settings.scale().sweepRows();
    sweepTwice(
        report,
        "HTTP",
        rows,
        () ->
            all(2, () -> api.post("/api/v1/maintenance/sweep", admin)).stream()
                .map(a -> a.status() == 200 ? a.body() : "failed: " + a)
                .toList());
    if (settings.scale().commandSweeps()) {
      sweepTwice(report, "command", rows, this::twoCommands);
    }
    return report;
  }

  private void sweepTwice(Report report, String how, int rows, Callable<List<String>> sweeps)
      throws Exception {
    String tag = "seed-" + how + "@reliability";
    seed(tag, rows);
    long[] eligible = eligible();
    report.expect(
        eligible[0] == rows && eligible[1] == rows && eligible[2] == rows,
        "%s: expected %d expired rows of each kind before the sweeps, found %d/%d/%d",
        how,
        rows,
        eligible[0],
        eligible[1],
        eligible[2]);
    long started = System.nanoTime();
    List<String> answers = sweeps.call();
    double seconds = (System.nanoTime() - started) / 1e9;
    long[] sum = new long[3];
    List<String> each = new ArrayList<>();
    for (String json : answers) {
      Api.Answer a = new Api.Answer(200, "application/json", json, 0, null);
      long[] counts = {a.number(KINDS[0]), a.number(KINDS[1]), a.number(KINDS[2])};
      report.expect(
          counts[0] >= 0 && counts[1] >= 0 && counts[2] >= 0, "%s: a sweep answered %s", how, json);
      each.add(counts[0] + "/" + counts[1] + "/" + counts[2]);
      for (int k = 0; k < 3; k++) {
        sum[k] += counts[k];
      }
    }
    long[] left = eligible();
    long[] audit =
        db
            .query(
                "select count(*), count(distinct action_id) from audit_event where activity ="
                    + " 'actionTimedOut' and action_id in (select id from device_action where"
                    + " initiated_by = '"
                    + tag
                    + "')")
            .stream()
            .map(r -> r.split("\\|"))
            .map(c -> new long[] {Long.parseLong(c[0]), Long.parseLong(c[1])})
            .findFirst()
            .orElseThrow();
    report.expect(
        sum[0] == rows && sum[1] == rows && sum[2] == rows,
        "%s: the sweeps counted %d/%d/%d, seeded %d of each",
        how,
        sum[0],
        sum[1],
        sum[2],
        rows);
    report.expect(
        left[0] == 0 && left[1] == 0 && left[2] == 0,
        "%s: expired rows left after the sweeps: %d/%d/%d",
        how,
        left[0],
        left[1],
        left[2]);
    report.expect(
        audit[0] == rows && audit[1] == rows,
        "%s: %d timeout audit events for %d restarts (expected %d, one each)",
        how,
        audit[0],
        audit[1],
        rows);
    report.figure(
        "%s: %d expired PINs, %d passcodes, %d overdue restarts seeded; two sweeps at once counted"
            + " %s (PINs/passcodes/restarts) = %d/%d/%d in %.1f s; left 0/0/0: %s; audit events per"
            + " timed-out restart: %s",
        how,
        rows,
        rows,
        rows,
        String.join(" + ", each),
        sum[0],
        sum[1],
        sum[2],
        seconds,
        left[0] + left[1] + left[2] == 0,
        audit[0] == audit[1] ? "1" : "not 1");
  }

  /** Two one-shot `sweep` processes started together; each prints one JSON line. */
  private List<String> twoCommands() throws Exception {
    List<Process> processes = List.of(app.command("sweep"), app.command("sweep"));
    List<String> out = new ArrayList<>();
    for (Process p : processes) {
      String json =
          App.lines(p).stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
      out.add(p.waitFor() == 0 ? json : "exit " + p.exitValue() + " " + json);
    }
    return out;
  }

  /**
   * What the sweep's own conditions find expired now (the app runs with a 1-day restart timeout).
   */
  private long[] eligible() throws Exception {
    return new long[] {
      db.count(
          "select count(*) from action_secret where kind = 'recoveryPin' and ciphertext is not"
              + " null and issued_at < now() - interval '30 days'"),
      db.count(
          "select count(*) from action_secret where kind = 'temporaryPasscode' and ciphertext"
              + " is not null and issued_at < now() - interval '7 days'"),
      db.count(
          "select count(*) from device_action where action = 'rebootNow' and state in"
              + " ('pending', 'active') and requested_at < now() - interval '1 day'")
    };
  }

  /** Expired rows written straight into the tables, as if they had been waiting for weeks. */
  private void seed(String tag, int rows) throws Exception {
    String pc = UUID.randomUUID().toString();
    String mac = UUID.randomUUID().toString();
    String ipad = UUID.randomUUID().toString();
    String devices =
        "insert into device (id, name, platform, os_version, supervised, passcode_set,"
            + " azure_ad_joined, token_hash, enrolled_at) values"
            + " ('%s', '%s', 'windows', '10.0', false, false, false, sha256('%s'::bytea), now()),"
            + " ('%s', '%s', 'macOS', '14.2', false, true, false, sha256('%s'::bytea), now()),"
            + " ('%s', '%s', 'iPadOS', '17.4', true, true, false, sha256('%s'::bytea), now());";
    db.query(
        devices.formatted(pc, tag, pc, mac, tag, mac, ipad, tag, ipad)
            + actions(
                tag,
                pc,
                "rebootNow",
                "case when g % 2 = 0 then 'pending' else 'active' end",
                "2 days",
                rows)
            + ";"
            + secrets(actions(tag, mac, "remoteLock", "'done'", "40 days", rows), "recoveryPin")
            + secrets(
                actions(tag, ipad, "resetPasscode", "'done'", "10 days", rows),
                "temporaryPasscode"));
  }

  private static String actions(
      String tag, String device, String action, String state, String age, int rows) {
    return ("insert into device_action (id, device_id, action, state, initiated_by, requested_at,"
            + " last_updated_at) select gen_random_uuid(), '%s', '%s', %s, '%s', now() -"
            + " interval '%s' - g * interval '1 millisecond', now() from generate_series(1, %d)"
            + " g")
        .formatted(device, action, state, tag, age, rows);
  }

  private static String secrets(String insertActions, String kind) {
    return ("with a as (%s returning id, device_id, requested_at) insert into action_secret"
            + " (action_id, device_id, kind, ciphertext, issued_at) select id, device_id, '%s',"
            + " '\\x00'::bytea, requested_at from a;")
        .formatted(insertActions, kind);
  }

  /** Runs n copies of a call at the same instant (released together by a latch). */
  private static <T> List<T> all(int n, Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.call();
                }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
