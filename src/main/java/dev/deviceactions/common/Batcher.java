package dev.deviceactions.common;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs single requests to the database together when they arrive together (natural batching): at
 * most {@code lanes} statements are in flight; a request that finds a lane free goes at once, on
 * its own, and requests that arrive while every lane is busy wait and go together, up to {@code
 * limit} in one statement, as soon as a lane is free. Nothing waits for a batch to fill, so a lone
 * request pays nothing, and under load one statement (and one commit) serves many requests.
 *
 * <p>A batch that fails is retried request by request, so each request gets the outcome it would
 * have had alone: one request's error never becomes another's. Each answer is delivered on the
 * Vert.x context its request was submitted on.
 *
 * @param <I> one request
 * @param <O> its answer
 */
public final class Batcher<I, O> {
  private final Function<I, Uni<O>> one;
  private final Function<List<I>, Uni<List<O>>> many;
  private final int lanes;
  private final int limit;
  private final ArrayDeque<Waiting<I, O>> waiting = new ArrayDeque<>();
  private int busy;

  /**
   * @param one runs one request alone
   * @param many runs several in one statement, answering in their order
   */
  public Batcher(
      Function<I, Uni<O>> one, Function<List<I>, Uni<List<O>>> many, int lanes, int limit) {
    if (lanes < 1 || limit < 1) {
      throw new IllegalArgumentException("lanes and limit must be at least 1");
    }
    this.one = one;
    this.many = many;
    this.lanes = lanes;
    this.limit = limit;
  }

  /** The request's answer, from a statement of its own or one it shares. */
  public Uni<O> submit(I request) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              List<Waiting<I, O>> batch;
              synchronized (this) {
                waiting.add(new Waiting<>(request, emitter, Vertx.currentContext()));
                batch = nextBatch();
              }
              if (batch != null) {
                run(batch);
              }
            });
  }

  /** Takes a lane and the requests waiting for it, or null when no lane or no request is free. */
  private List<Waiting<I, O>> nextBatch() {
    if (busy >= lanes || waiting.isEmpty()) {
      return null;
    }
    busy++;
    List<Waiting<I, O>> batch = new ArrayList<>(Math.min(waiting.size(), limit));
    while (batch.size() < limit && !waiting.isEmpty()) {
      batch.add(waiting.poll());
    }
    return batch;
  }

  private void run(List<Waiting<I, O>> batch) {
    if (batch.size() == 1) {
      Waiting<I, O> alone = batch.get(0);
      alone(alone.request)
          .subscribe()
          .with(
              answer -> {
                laneFree();
                alone.complete(answer);
              },
              failure -> {
                laneFree();
                alone.fail(failure);
              });
      return;
    }
    List<I> requests = batch.stream().map(w -> w.request).toList();
    Uni.createFrom()
        .deferred(() -> many.apply(requests))
        .subscribe()
        .with(
            answers -> {
              laneFree();
              for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(answers.get(i));
              }
            },
            failure -> {
              laneFree();
              for (Waiting<I, O> w : batch) {
                alone(w.request).subscribe().with(w::complete, w::fail);
              }
            });
  }

  /** One request on its own; a function that throws fails its Uni rather than the caller. */
  private Uni<O> alone(I request) {
    return Uni.createFrom().deferred(() -> one.apply(request));
  }

  private void laneFree() {
    List<Waiting<I, O>> batch;
    synchronized (this) {
      busy--;
      batch = nextBatch();
    }
    if (batch != null) {
      run(batch);
    }
  }

  private record Waiting<I, O>(I request, UniEmitter<? super O> emitter, Context context) {
    void complete(O answer) {
      onContext(() -> emitter.complete(answer));
    }

    void fail(Throwable failure) {
      onContext(() -> emitter.fail(failure));
    }

    private void onContext(Runnable delivery) {
      if (context == null || Vertx.currentContext() == context) {
        delivery.run();
      } else {
        context.runOnContext(v -> delivery.run());
      }
    }
  }
}
