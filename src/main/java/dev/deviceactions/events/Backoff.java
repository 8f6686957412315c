package dev.deviceactions.events;

import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Jitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What an attempt means for its event: delivered once every sink took it; otherwise retried after
 * an exponential delay with jitter (so that many events refused at once do not return at once),
 * until device-actions.events.max-age has passed; a sink's refusal (a 4xx other than 408 and 429)
 * fails it at once. Failed events are kept, with the last error, for an operator to replay.
 */
@ApplicationScoped
public class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Duration maxAge;

  public Backoff(DeviceActionsConfig config) {
    this.initial = config.events().initialBackoff();
    this.max = config.events().maxBackoff();
    this.maxAge = config.events().maxAge();
  }

  Settlement settle(OutboxEvent e, List<EventSender.Attempt> attempts) {
    List<String> delivered = new ArrayList<>();
    String error = null;
    boolean refused = false;
    for (EventSender.Attempt a : attempts) {
      if (a.delivered()) {
        delivered.add(a.sink());
      } else {
        error = a.sink() + ": " + a.error();
        refused |= !a.retryable();
      }
    }
    if (error == null) {
      return new Settlement(e.seq(), Settlement.Outcome.delivered, 0, delivered, null);
    }
    if (refused) {
      return new Settlement(e.seq(), Settlement.Outcome.failed, 0, delivered, error);
    }
    long delay = delayMillis(e.attempts());
    if (e.agingSince().plus(maxAge).isBefore(OffsetDateTime.now().plusNanos(delay * 1_000_000))) {
      return new Settlement(
          e.seq(), Settlement.Outcome.failed, 0, delivered, "past max-age; last " + error);
    }
    return new Settlement(e.seq(), Settlement.Outcome.retry, delay, delivered, error);
  }

  Settlement failed(OutboxEvent e, String error) {
    return new Settlement(e.seq(), Settlement.Outcome.failed, 0, List.of(), error);
  }

  long delayMillis(int previousAttempts) {
    return Jitter.delayMillis(initial.toMillis(), max.toMillis(), previousAttempts);
  }
}
