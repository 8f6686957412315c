import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The event sink the app posts its CloudEvents to (JDK's HTTP server on a free loopback port): it
 * keeps every request's ce-id, ce-subject, ce-type and the status it answered, and can be told to
 * answer 503, to go down (its port closed: connection refused) and to come back on the same port.
 */
final class EventSink {
  /** One request as it arrived. */
  record Hit(String id, String subject, String type, int status, long atNanos) {
    boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile long delayMillis;
  private HttpServer server;
  private int port;

  String url() {
    return "http://127.0.0.1:" + port + "/events";
  }

  synchronized void up() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    server.createContext("/events", this::handle);
    // Daemon threads: a driver that fails must still exit (and release the machine-wide lock).
    server.setExecutor(
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "event-sink");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    port = server.getAddress().getPort();
  }

  /** Closes the port: the app's connections are refused until {@link #up}. */
  synchronized void down() {
    if (server != null) {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
      server = null;
    }
  }

  void answer(int status) {
    this.status = status;
  }

  void delay(long millis) {
    this.delayMillis = millis;
  }

  /** Forgets what arrived so far: each scenario counts its own. */
  void clear() {
    hits.clear();
  }

  List<Hit> hits() {
    return new ArrayList<>(hits);
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int answered = status;
    var h = exchange.getRequestHeaders();
    hits.add(
        new Hit(
            h.getFirst("ce-id"),
            h.getFirst("ce-subject"),
            h.getFirst("ce-type"),
            answered,
            System.nanoTime()));
    exchange.sendResponseHeaders(answered, -1);
    exchange.close();
  }
}
