package dev.deviceactions.apple;

import dev.deviceactions.action.CommandsRequested;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Jitter;
import dev.deviceactions.common.Telemetry;
import io.quarkus.logging.Log;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The APNs MDM push (api.md "Apple devices", Push): when actions are accepted for Apple MDM
 * devices, each that has a push token is told to connect at once. 429 and 5xx answers and
 * unreachable APNs are retried with exponential backoff and jitter for at most push-retry-for after
 * the commit; 410 marks the token invalid until the next TokenUpdate; any other refusal is logged
 * and dropped. A push is a wake-up only: a device that misses it still gets its commands at its
 * next connect.
 */
@ApplicationScoped
public class ApplePush {
  private final ApnsClient apns;
  private final PushTargetRepository targets;
  private final Telemetry telemetry;
  private final Vertx vertx;
  private final long initialBackoffMillis;
  private final long maxBackoffMillis;
  private final long retryForNanos;

  public ApplePush(
      ApnsClient apns,
      PushTargetRepository targets,
      Telemetry telemetry,
      Vertx vertx,
      DeviceActionsConfig config) {
    this.apns = apns;
    this.targets = targets;
    this.telemetry = telemetry;
    this.vertx = vertx;
    this.initialBackoffMillis = Math.max(config.apple().pushInitialBackoff().toMillis(), 1);
    this.maxBackoffMillis = Math.max(config.apple().pushMaxBackoff().toMillis(), 1);
    this.retryForNanos = config.apple().pushRetryFor().toNanos();
  }

  /** Pushes go out: a push certificate, its key and the topic are configured. */
  public boolean configured() {
    return apns.configured();
  }

  /**
   * Runs on the request's thread right after the commit: it only starts the read of the push
   * targets and returns, and nothing it does can fail the request that accepted the actions.
   */
  void commandsRequested(@Observes CommandsRequested event) {
    if (!configured() || event.deviceIds().isEmpty()) {
      return;
    }
    long committedAt = System.nanoTime();
    try {
      targets
          .targets(event.deviceIds())
          .subscribe()
          .with(
              found -> found.forEach(t -> attempt(new Push(t, committedAt, 0))),
              failure ->
                  Log.warnf("No APNs push: push targets not read: %s", failure.getMessage()));
    } catch (RuntimeException e) {
      Log.warnf(e, "No APNs push for %d device(s)", event.deviceIds().size());
    }
  }

  /** One push on its way: where it goes, when its actions committed, attempts made so far. */
  record Push(PushTarget target, long committedAt, int attempts) {
    Push next() {
      return new Push(target, committedAt, attempts + 1);
    }
  }

  private void attempt(Push push) {
    Runnable written =
        push.attempts() == 0
            ? () ->
                telemetry.applePushLeft(Duration.ofNanos(System.nanoTime() - push.committedAt()))
            : () -> {};
    apns.send(push.target(), written).onComplete(answer -> settle(push, answer));
  }

  private void settle(Push push, AsyncResult<ApnsClient.Answer> result) {
    if (result.failed()) {
      failed(push, result.cause());
      return;
    }
    ApnsClient.Answer answer = result.result();
    int status = answer.status();
    if (status == 200) {
      telemetry.applePushed("sent");
    } else if (status == 410) {
      invalidate(push, answer.reason());
    } else if (status == 429 || status >= 500) {
      retry(push, "HTTP " + status + " " + answer.reason());
    } else {
      telemetry.applePushed("refused");
      Log.warnf(
          "APNs refused the push to device %s: HTTP %d %s",
          push.target().deviceId(), status, answer.reason());
    }
  }

  private void failed(Push push, Throwable cause) {
    if (cause instanceof ApnsClient.Unusable) {
      telemetry.applePushed("failed");
      Log.errorf("No APNs push: the push settings cannot be used: %s", cause.getMessage());
    } else {
      retry(push, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
  }

  /**
   * Marks the token invalid; the push counts as {@code invalidToken} once that statement has
   * settled, so that the metric also says the mark is done (or was refused, as the log says).
   */
  private void invalidate(Push push, String reason) {
    Log.infof(
        "APNs: the push token of device %s is no longer valid (%s); no push until its next"
            + " TokenUpdate",
        push.target().deviceId(), reason);
    targets
        .invalidate(push.target())
        .eventually(() -> telemetry.applePushed("invalidToken"))
        .subscribe()
        .with(
            marked -> {},
            failure ->
                Log.warnf(
                    "The invalid push token of device %s was not marked: %s",
                    push.target().deviceId(), failure.getMessage()));
  }

  /** Again after the backoff, unless that would be past push-retry-for since the commit. */
  private void retry(Push push, String why) {
    long delay = Jitter.delayMillis(initialBackoffMillis, maxBackoffMillis, push.attempts());
    long elapsed = System.nanoTime() - push.committedAt();
    if (elapsed + delay * 1_000_000L > retryForNanos) {
      telemetry.applePushed("gaveUp");
      Log.warnf(
          "APNs push to device %s given up after %d attempt(s); last: %s",
          push.target().deviceId(), push.attempts() + 1, why);
      return;
    }
    telemetry.applePushed("retry");
    Log.debugf("APNs push to device %s again in %d ms: %s", push.target().deviceId(), delay, why);
    vertx.setTimer(delay, id -> attempt(push.next()));
  }
}
