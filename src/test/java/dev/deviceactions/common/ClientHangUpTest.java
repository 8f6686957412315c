package dev.deviceactions.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Clients that hang up mid-request (a closed tab, a client timeout, a load balancer's reset) leave
 * no pooled connection, no open transaction and no session error behind: every request that reached
 * the app runs to its end, and only its answer is lost.
 */
@QuarkusTest
class ClientHangUpTest {
  static final Path LOG = Path.of("target/quarkus-test.log");

  /** What Hibernate Reactive logs when a session is torn down under a statement in flight. */
  static final List<String> SESSION_ERRORS =
      List.of(
          "HR000090",
          "HHH000099",
          "Session/EntityManager is closed",
          "No current Mutiny.Session found");

  static final int BURSTS = 6;
  static final int CLIENTS = 64;
  static final int BURST_MILLIS = 1_500;

  @Test
  void requestsCutWhileTheirTransactionWaitsOnALockLeaveNothingBehind() throws Exception {
    long logStart = Files.size(LOG);
    Fleet fleet = Fleet.enroll();
    Random random = new Random(13);
    SqlConnection locker = TestDatabase.pool().getConnection().await().indefinitely();
    Transaction lock = locker.begin().await().indefinitely();
    List<Socket> inFlight = new ArrayList<>();
    try {
      locker
          .preparedQuery("select id from device where id = any ($1) for update")
          .execute(Tuple.of(fleet.deviceIds()))
          .await()
          .indefinitely();
      for (int i = 0; i < 30; i++) {
        inFlight.add(send(fleet.writes().get(i % fleet.writes().size())));
      }
      // The 16 restarts share the store's two statements in flight (action/ActionStore's batching):
      // two statements wait for them, and one for each of the 7 check-ins.
      awaitWaitingOnLocks(9);
      for (Socket socket : inFlight) {
        hangUp(socket, random.nextBoolean());
      }
      Thread.sleep(200);
    } finally {
      lock.rollback().await().indefinitely();
      locker.close().await().indefinitely();
    }
    assertNothingLeftBehind(logStart);
  }

  /** As a load generator stops (wrk): many keep-alive clients, each cut mid-request. */
  @Test
  void burstsCutMidFlightLeaveNothingBehind() throws Exception {
    long logStart = Files.size(LOG);
    List<String> requests = Fleet.enroll().all();
    for (int burst = 0; burst < BURSTS; burst++) {
      List<Socket> clients = new ArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        Socket socket = new Socket("localhost", RestAssured.port);
        clients.add(socket);
        int first = c;
        threads.submit(() -> keepSending(socket, requests, first));
      }
      Thread.sleep(BURST_MILLIS);
      for (Socket socket : clients) {
        hangUp(socket, burst % 2 == 0);
      }
      threads.shutdown();
      assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS), "clients did not stop");
    }
    assertNothingLeftBehind(logStart);
  }

  /** Sends requests one after another on one connection, each after the answer to the last. */
  private static Void keepSending(Socket socket, List<String> requests, int first) {
    try {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (int i = first; ; i++) {
        out.write(requests.get(i % requests.size()).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readAnswer(in);
      }
    } catch (IOException hungUp) {
      return null;
    }
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
    while (read.length() < end.length()
        || !read.substring(read.length() - end.length()).equals(end)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed");
      }
      read.append((char) b);
    }
    return read.toString();
  }

  /**
   * The pool holds no connection checked out once the app is idle (the app keeps none: its LISTEN
   * connection is its own, outside the pool, and its catch-up queries last a moment), no session is
   * idle in a transaction, and no session error was logged.
   */
  private void assertNothingLeftBehind(long logStart) throws Exception {
    Idle idle = awaitIdle();
    String log = Files.readString(LOG).substring((int) logStart);
    assertAll(
        () -> assertEquals(0.0, idle.activePool(), "pooled connections still checked out"),
        () -> assertEquals(List.of(), idle.inTransaction(), "sessions left idle in transaction"),
        () -> assertEquals(List.of(), errorsIn(log), "session errors in the log"));
    Api.request(Api.windows(), "rebootNow");
  }

  /**
   * Devices and the requests on them: accepted actions, both kinds of refusal (rolled back, then
   * audited in a second transaction), device check-ins (a session for the token, a transaction for
   * the queue) and reads.
   */
  record Fleet(Api.EnrolledDevice windows, Api.EnrolledDevice other, Api.EnrolledDevice mac) {
    static final String ADMIN = Api.token("hang-up@example.com", "admin");

    static Fleet enroll() {
      Fleet fleet = new Fleet(Api.windows(), Api.windows(), Api.mac());
      Api.request(fleet.mac(), "remoteLock");
      return fleet;
    }

    UUID[] deviceIds() {
      return Stream.of(windows, other, mac).map(d -> UUID.fromString(d.id())).toArray(UUID[]::new);
    }

    /** Requests that write a row locked by {@code select ... for update} on their device. */
    List<String> writes() {
      return List.of(
          post("/api/v1/devices/" + windows.id() + "/rebootNow", ADMIN),
          post("/api/v1/devices/" + other.id() + "/rebootNow", ADMIN),
          post("/api/v1/devices/" + mac.id() + "/remoteLock", ADMIN),
          post("/agent/v1/checkin", windows.token()));
    }

    List<String> all() {
      List<String> all = new ArrayList<>(writes());
      all.add(post("/api/v1/devices/" + windows.id() + "/resetPin", ADMIN));
      all.add(get("/api/v1/device-actions?deviceId=" + windows.id(), ADMIN));
      all.add(get("/api/v1/devices/" + mac.id(), ADMIN));
      return all;
    }
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

  private static Socket send(String request) throws IOException {
    Socket socket = new Socket("localhost", RestAssured.port);
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** A reset (as a load balancer sends) or an orderly close (as a client that gave up). */
  private static void hangUp(Socket socket, boolean reset) throws IOException {
    if (reset) {
      socket.setSoLinger(true, 0);
    }
    socket.close();
  }

  /** What the pool and PostgreSQL show: checked-out connections, sessions idle in transaction. */
  record Idle(double activePool, List<String> inTransaction) {}

  /**
   * Requests cut short still finish in the app: looks until the pool and PostgreSQL are idle, for
   * 30 s at most, and answers the last look.
   */
  private Idle awaitIdle() throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Idle idle;
    while (true) {
      idle = new Idle(activePoolConnections(), idleInTransaction());
      if ((idle.activePool() == 0 && idle.inTransaction().isEmpty())
          || System.nanoTime() > deadline) {
        return idle;
      }
      Thread.sleep(100);
    }
  }

  private static double activePoolConnections() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m = Pattern.compile("(?m)^sql_pool_active\\{[^}]*} ([0-9.]+)$").matcher(metrics);
    double active = 0;
    boolean found = false;
    while (m.find()) {
      active += Double.parseDouble(m.group(1));
      found = true;
    }
    assertTrue(found, "no sql_pool_active in /q/metrics");
    return active;
  }

  /** Waits until at least {@code count} of the app's statements wait on a row lock. */
  private static void awaitWaitingOnLocks(int count) throws InterruptedException {
    // 30 requests on fresh connections each: a loaded machine takes its time to read them all.
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && waitingOnLocks() < count) {
      Thread.sleep(20);
    }
    assertTrue(waitingOnLocks() >= count, "requests did not reach their locked rows");
  }

  private static long waitingOnLocks() {
    return count("select count(*) from pg_stat_activity where wait_event_type = 'Lock'");
  }

  /** The last statement of each session idle in a transaction. */
  private static List<String> idleInTransaction() {
    List<String> sessions = new ArrayList<>();
    TestDatabase.pool()
        .query(
            "select query from pg_stat_activity where state like 'idle in transaction%'"
                + " and pid <> pg_backend_pid()")
        .execute()
        .await()
        .indefinitely()
        .forEach(row -> sessions.add(row.getString(0)));
    return sessions;
  }

  private static long count(String sql) {
    return TestDatabase.pool()
        .query(sql)
        .execute()
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  /** Each session error the log holds, with how many lines hold it. */
  private static List<String> errorsIn(String log) {
    List<String> found = new ArrayList<>();
    for (String error : SESSION_ERRORS) {
      long lines = log.lines().filter(l -> l.contains(error)).count();
      if (lines > 0) {
        found.add(lines + " × " + error);
      }
    }
    return found;
  }
}
