package dev.deviceactions.events;

import dev.deviceactions.support.TestHttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A real HTTP sink for the tests: a Vert.x server on a free port that reads every request with the
 * CloudEvents SDK (binary content mode) and keeps it, with its raw headers and body. What it
 * answers is up to the test ({@link #answer}); 202 by default.
 */
public final class EventReceiver {
  /** How long the app may take to relay what a test waits for, generous for a loaded machine. */
  public static final Duration EVENTUALLY = Duration.ofSeconds(30);

  /** One request as received: the path (which sink), the headers, the body and the event. */
  public record Received(String path, MultiMap headers, String body, CloudEvent event, int status) {
    public String type() {
      return event.getType();
    }

    public String subject() {
      return event.getSubject();
    }
  }

  private final TestHttpServer server = new TestHttpServer();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile ToIntFunction<Received> answer = r -> 202;

  /**
   * Starts on a free port of 127.0.0.1; returns the port. A stopped receiver can be started again
   * (Quarkus restarts a profile's test resources with its app after a failed test).
   */
  public int start() throws Exception {
    return server.start(new HttpServerOptions(), "127.0.0.1", (vertx, request) -> handle(request));
  }

  public void stop() throws Exception {
    server.stop();
  }

  private void handle(HttpServerRequest request) {
    request.body(
        body -> {
          if (body.failed()) {
            request.response().setStatusCode(500).end();
            return;
          }
          MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
          CloudEvent event = VertxMessageFactory.createReader(headers, body.result()).toEvent();
          Received draft =
              new Received(
                  request.path(),
                  headers,
                  body.result().toString(StandardCharsets.UTF_8),
                  event,
                  0);
          int status = answer.applyAsInt(draft);
          received.add(new Received(draft.path(), headers, draft.body(), event, status));
          request.response().setStatusCode(status).end();
        });
  }

  /** Sets what the sink answers from now on. */
  public void answer(ToIntFunction<Received> answer) {
    this.answer = answer;
  }

  /** Every request so far, in the order they arrived. */
  public List<Received> all() {
    return new ArrayList<>(received);
  }

  /**
   * The requests that match, once at least {@code count} of them have arrived ({@link
   * #EVENTUALLY}).
   */
  public List<Received> await(Predicate<Received> which, int count) {
    long deadline = System.nanoTime() + EVENTUALLY.toNanos();
    List<Received> matching;
    do {
      matching = received.stream().filter(which).toList();
      if (matching.size() >= count) {
        return matching;
      }
      sleep();
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "expected "
            + count
            + " matching events within "
            + EVENTUALLY.toSeconds()
            + " s, got "
            + matching.size()
            + ": "
            + matching);
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
