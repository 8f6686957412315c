package dev.deviceactions.apple;

import dev.deviceactions.support.TestHttpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * APNs as the tests see it: a Vert.x HTTP/2 server over TLS that negotiates h2 only (ALPN) and
 * requires a client certificate from the push CA. It keeps every request with its path, headers,
 * body and client certificate, and answers as told per device token: 200 by default, or a script of
 * statuses (410, 429, 500...) with APNs' JSON reason, or {@link #DROP} to cut the connection.
 */
public final class ApnsReceiver {
  /** A scripted answer that closes the connection instead of answering. */
  public static final int DROP = -1;

  /** One request as received, and what it was answered. */
  public record Received(
      String method,
      HttpVersion version,
      String path,
      MultiMap headers,
      String body,
      X509Certificate clientCertificate,
      int status,
      long atNanos) {
    public String token() {
      return path.substring(path.lastIndexOf('/') + 1);
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final TestHttpServer server = new TestHttpServer();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Consumer<String>> before = new ConcurrentHashMap<>();

  /**
   * Starts on a free port of localhost with the stand-in's keys; returns the port. A stopped
   * stand-in can be started again (Quarkus restarts a profile's test resources with its app).
   */
  public int start(ApnsKeys keys) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setUseAlpn(true)
            .setAlpnVersions(List.of(HttpVersion.HTTP_2))
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(keys.path("server.pem"))
                    .setKeyPath(keys.path("server-key.pem")))
            .setTrustOptions(new PemTrustOptions().addCertPath(keys.path("push-ca.pem")))
            .setClientAuth(ClientAuth.REQUIRED);
    return server.start(options, "localhost", this::handle);
  }

  public void stop() throws Exception {
    server.stop();
  }

  /** The next pushes to {@code token} get these answers, in order; later ones 200 again. */
  public void script(String token, Integer... statuses) {
    scripts.put(token, new ConcurrentLinkedDeque<>(List.of(statuses)));
  }

  /**
   * Runs {@code hook} (on a worker thread) when a push to {@code token} arrives, before answering.
   */
  public void beforeAnswering(String token, Consumer<String> hook) {
    before.put(token, hook);
  }

  private void handle(Vertx vertx, HttpServerRequest request) {
    X509Certificate client = clientCertificate(request);
    request.body(
        body -> {
          long at = System.nanoTime();
          String token = request.path().substring(request.path().lastIndexOf('/') + 1);
          vertx
              .executeBlocking(
                  () -> {
                    before.getOrDefault(token, t -> {}).accept(token);
                    return nextStatus(token);
                  })
              .onComplete(
                  status -> {
                    int answer = status.succeeded() ? status.result() : 500;
                    received.add(
                        new Received(
                            request.method().name(),
                            request.version(),
                            request.path(),
                            MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                            body.succeeded()
                                ? body.result().toString(StandardCharsets.UTF_8)
                                : null,
                            client,
                            answer,
                            at));
                    respond(request, answer);
                  });
        });
  }

  private int nextStatus(String token) {
    Deque<Integer> script = scripts.get(token);
    Integer next = script == null ? null : script.pollFirst();
    return next == null ? 200 : next;
  }

  private static void respond(HttpServerRequest request, int status) {
    if (status == DROP) {
      request.connection().close();
      return;
    }
    var response = request.response().setStatusCode(status).putHeader("apns-id", "test-apns-id");
    if (status == 200) {
      response.end();
      return;
    }
    JsonObject reason = new JsonObject().put("reason", reason(status));
    if (status == 410) {
      reason.put("timestamp", System.currentTimeMillis());
    }
    response.putHeader("content-type", "application/json").end(reason.encode());
  }

  /** The reasons APNs gives for these statuses (Apple's "Handling notification responses"). */
  private static String reason(int status) {
    return switch (status) {
      case 400 -> "BadDeviceToken";
      case 403 -> "BadCertificate";
      case 410 -> "Unregistered";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      default -> "InternalServerError";
    };
  }

  private static X509Certificate clientCertificate(HttpServerRequest request) {
    try {
      Certificate[] chain = request.sslSession().getPeerCertificates();
      return chain.length == 0 ? null : (X509Certificate) chain[0];
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Every request so far, in the order answered. */
  public List<Received> all() {
    return new ArrayList<>(received);
  }

  /** The pushes to {@code token} so far. */
  public List<Received> to(String token) {
    return received.stream().filter(r -> r.token().equals(token)).toList();
  }

  /**
   * How long a push may take to arrive: the first one of an app opens the TLS and HTTP/2
   * connection, and a loaded machine does that slowly. Generous, since it costs nothing when the
   * push comes.
   */
  public static final Duration EVENTUALLY = Duration.ofSeconds(60);

  /**
   * The requests that match, once at least {@code count} of them have come ({@link #EVENTUALLY}).
   */
  public List<Received> await(Predicate<Received> which, int count) {
    long deadline = System.nanoTime() + EVENTUALLY.toNanos();
    List<Received> matching;
    do {
      matching = received.stream().filter(which).toList();
      if (matching.size() >= count) {
        return matching;
      }
      pause(20);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "expected "
            + count
            + " matching pushes within "
            + EVENTUALLY.toSeconds()
            + " s, got "
            + matching.size());
  }

  /** The pushes to {@code token}, once at least {@code count} of them have come. */
  public List<Received> await(String token, int count) {
    return await(r -> r.token().equals(token), count);
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
