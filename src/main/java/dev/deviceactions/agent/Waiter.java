package dev.deviceactions.agent;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;

/**
 * One held check-in: it learns that its device's queue may have changed, or that it must end with
 * no commands (time up, a newer check-in of the device, shutdown). Its state only changes on the
 * Vert.x context of its request, so it needs no lock, holds no thread and no connection, and what
 * follows a signal (a transaction that re-reads the queue) runs where Hibernate Reactive expects.
 */
final class Waiter {
  /** What a waiter is told. */
  enum Signal {
    queueChanged,
    ended
  }

  final UUID deviceId;

  /** When it was registered, epoch milliseconds: of two waits of a device, the older ends. */
  final long registeredAt = System.currentTimeMillis();

  private final Context context;
  private UniEmitter<? super Signal> listening;
  private boolean changed;
  private boolean ended;
  private long timer = -1;

  Waiter(UUID deviceId, Context context) {
    this.deviceId = deviceId;
    this.context = context;
  }

  /** The next signal; at once if one came since the last was taken. */
  Uni<Signal> next() {
    return Uni.createFrom()
        .emitter(
            emitter ->
                onContext(
                    () -> {
                      if (ended || changed) {
                        changed = false;
                        emitter.complete(ended ? Signal.ended : Signal.queueChanged);
                      } else {
                        listening = emitter;
                      }
                    }));
  }

  void queueChanged() {
    onContext(
        () -> {
          changed = true;
          tell();
        });
  }

  /** Told again after {@code delay}: a re-read that found the database unavailable retries. */
  void queueChangedAfter(Duration delay) {
    onContext(() -> context.owner().setTimer(delay.toMillis(), id -> queueChanged()));
  }

  void end() {
    onContext(
        () -> {
          ended = true;
          tell();
        });
  }

  void endAfter(Duration wait) {
    onContext(() -> timer = context.owner().setTimer(Math.max(1, wait.toMillis()), id -> end()));
  }

  void cancelTimer() {
    onContext(
        () -> {
          if (timer >= 0) {
            context.owner().cancelTimer(timer);
          }
        });
  }

  private void tell() {
    if (listening != null) {
      UniEmitter<? super Signal> emitter = listening;
      listening = null;
      changed = false;
      emitter.complete(ended ? Signal.ended : Signal.queueChanged);
    }
  }

  private void onContext(Runnable change) {
    if (Vertx.currentContext() == context) {
      change.run();
    } else {
      context.runOnContext(v -> change.run());
    }
  }
}
