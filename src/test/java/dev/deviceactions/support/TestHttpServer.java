package dev.deviceactions.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A real HTTP server that a test resource runs on a free port: the APNs stand-in, the events sink.
 * Each start makes its own Vert.x and each stop closes it, so a stopped server starts again:
 * Quarkus restarts a profile's test resources with its app after a failed test.
 */
public final class TestHttpServer {
  /** How long a start or stop may take: a busy machine starts a Vert.x server slowly. */
  public static final Duration START = Duration.ofSeconds(60);

  private Vertx vertx;

  /** Listens on {@code host} with {@code handler} (given this start's Vert.x); returns the port. */
  public synchronized int start(
      HttpServerOptions options, String host, BiConsumer<Vertx, HttpServerRequest> handler)
      throws Exception {
    Vertx started = Vertx.vertx();
    vertx = started;
    return started
        .createHttpServer(options)
        .requestHandler(request -> handler.accept(started, request))
        .listen(0, host)
        .toCompletionStage()
        .toCompletableFuture()
        .get(START.toMillis(), TimeUnit.MILLISECONDS)
        .actualPort();
  }

  public synchronized void stop() throws Exception {
    if (vertx != null) {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(START.toMillis(), TimeUnit.MILLISECONDS);
      vertx = null;
    }
  }
}
