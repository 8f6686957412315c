import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 7: clients that hang up mid-request, as a load generator does when it stops and as a
 * load balancer's resets do. Bursts of keep-alive clients send accepted actions, refusals, device
 * check-ins and reads back to back, and every client is cut mid-flight: half with a reset (RST),
 * half with an orderly close (FIN). After a few seconds at idle the app must hold no pooled
 * connection, no session may be idle in transaction, the pool's queue must not be negative, the
 * log must hold none of Hibernate Reactive's session errors, and every action in the database must
 * have its audit event. The cluster has no idle_in_transaction_session_timeout: in deploy/ it is a
 * guard only, and nothing here may depend on it.
 */
final class AbruptDisconnect {
  /** What Hibernate Reactive logs when a session is torn down under a statement in flight. */
  static final List<String> SESSION_ERRORS =
      List.of(
          "HR000090",
          "HHH000099",
          "Session/EntityManager is closed",
          "No current Mutiny.Session found");

  private final Settings settings;
  private final App app;
  private final Postgres db;
  private final Api api;
  private final String admin;
  private final List<Fleet.Device> pcs;

  AbruptDisconnect(
      Settings settings,
      App app,
      Postgres db,
      Api api,
      Api.Tokens tokens,
      List<Fleet.Device> pcs) {
    this.settings = settings;
    this.app = app;
    this.db = db;
    this.api = api;
    this.admin = tokens.token("hang-up@reliability", "admin");
    this.pcs = pcs;
  }

  Report run() throws Exception {
    Report report = new Report("7. clients cut mid-request leave no connection or transaction");
    long logStart = Files.size(app.log());
    double before = metric("sql_pool_active");
    List<String> requests = requests();
    int bursts = settings.full() ? 12 : 6;
    int clients = settings.full() ? 64 : 48;
    AtomicLong answered = new AtomicLong();
    AtomicLong cut = new AtomicLong();
    for (int burst = 0; burst < bursts; burst++) {
      List<Socket> sockets = new ArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(clients);
      for (int c = 0; c < clients; c++) {
        Socket socket = new Socket("localhost", settings.appPort());
        sockets.add(socket);
        int first = burst * clients + c;
        threads.submit(() -> keepSending(socket, requests, first, answered));
      }
      Thread.sleep(1_500);
      for (Socket socket : sockets) {
        hangUp(socket, burst % 2 == 0);
        cut.incrementAndGet();
      }
      threads.shutdown();
      report.expect(threads.awaitTermination(10, TimeUnit.SECONDS), "clients did not stop");
    }
    report.figure(
        "%d bursts of %d clients: %d answers read, %d requests cut in flight",
        bursts, clients, answered.get(), cut.get());

    long idleSince = System.nanoTime();
    double active = Double.NaN;
    List<String> idleInTransaction = List.of();
    while (System.nanoTime() - idleSince < 5_000_000_000L) {
      active = metric("sql_pool_active");
      idleInTransaction = idleInTransaction();
      if (active <= before && idleInTransaction.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    double queue = metric("sql_pool_queue_size");
    report.figure(
        "%.1f s after the last cut: sql_pool_active %.0f (%.0f before the bursts),"
            + " sql_pool_queue_size %.0f, %d sessions idle in transaction",
        (System.nanoTime() - idleSince) / 1e9,
        active,
        before,
        queue,
        idleInTransaction.size());
    report.expect(
        active <= before,
        "pooled connections still checked out at idle: %.0f, %.0f before",
        active,
        before);
    report.expect(queue >= 0, "the pool's queue size is negative: %.0f", queue);
    report.expect(
        idleInTransaction.isEmpty(), "sessions left idle in transaction: %s", idleInTransaction);

    List<String> errors = sessionErrors(logStart);
    report.figure("session errors in the app log: %d", errors.size());
    report.expect(
        errors.isEmpty(),
        "session errors in the log: %s",
        errors.stream().distinct().map(e -> e + " x" + errors.stream().filter(e::equals).count()).toList());

    long unaudited =
        db.count(
            "select count(*) from device_action a where a.initiated_by = 'hang-up@reliability'"
                + " and not exists (select 1 from audit_event e where e.action_id = a.id)");
    report.expect(unaudited == 0, "%d actions without their audit event", unaudited);

    Api.Answer after = api.post("/api/v1/devices/" + pcs.getLast().id() + "/rebootNow", admin);
    report.expect(after.status() == 202, "the app no longer serves: %s", after);
    return report;
  }

  /**
   * Accepted restarts, refused macOS-only actions (rolled back, then audited), device check-ins
   * and reads, spread over the fleet.
   */
  private List<String> requests() {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < Math.min(50, pcs.size()); i++) {
      Fleet.Device pc = pcs.get(i);
      requests.add(post("/api/v1/devices/" + pc.id() + "/rebootNow", admin));
      requests.add(post("/api/v1/devices/" + pc.id() + "/remoteLock", admin));
      requests.add(post("/agent/v1/checkin", pc.token()));
      requests.add(get("/api/v1/device-actions?deviceId=" + pc.id(), admin));
    }
    return requests;
  }

  /** Sends requests one after another on one connection, each after the answer to the last. */
  private static Void keepSending(
      Socket socket, List<String> requests, int first, AtomicLong answered) {
    try {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (int i = first; ; i++) {
        out.write(requests.get(i % requests.size()).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readAnswer(in);
        answered.incrementAndGet();
      }
    } catch (IOException hungUp) {
      return null;
    }
  }

  private static void hangUp(Socket socket, boolean reset) throws IOException {
    if (reset) {
      socket.setSoLinger(true, 0);
    }
    socket.close();
  }

  /** Reads one HTTP/1.1 answer: its head, then a Content-Length body or chunks. */
  private static void readAnswer(InputStream in) throws IOException {
    String head = readUntil(in, "\r\n\r\n");
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    } else if (head.toLowerCase().contains("transfer-encoding: chunked")) {
      readUntil(in, "\r\n0\r\n\r\n");
    }
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    StringBuilder read = new StringBuilder();
    while (!read.toString().endsWith(end)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed");
      }
      read.append((char) b);
    }
    return read.toString();
  }

  private static String post(String path, String token) {
    return "POST " + path + " HTTP/1.1\r\n" + headers(token) + "Content-Length: 0\r\n\r\n";
  }

  private static String get(String path, String token) {
    return "GET " + path + " HTTP/1.1\r\n" + headers(token) + "\r\n";
  }

  private static String headers(String token) {
    return "Host: localhost\r\nAuthorization: Bearer " + token + "\r\n";
  }

  /** The sum of a gauge's series in /q/metrics. */
  private double metric(String name) {
    String metrics = api.get("/q/metrics", null).body();
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (-?[0-9.E]+)$").matcher(metrics);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("no " + name + " in /q/metrics");
    }
    return sum;
  }

  /** The app's sessions idle in transaction, with what they last ran. */
  private List<String> idleInTransaction() throws Exception {
    return db.query(
        "select pid || ' ' || left(query, 80) from pg_stat_activity"
            + " where state like 'idle in transaction%' and pid <> pg_backend_pid()");
  }

  private List<String> sessionErrors(long logStart) throws IOException {
    String log = Files.readString(app.log());
    return log.substring((int) Math.min(logStart, log.length()))
        .lines()
        .flatMap(line -> SESSION_ERRORS.stream().filter(line::contains))
        .toList();
  }
}
