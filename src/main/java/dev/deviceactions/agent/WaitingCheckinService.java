package dev.deviceactions.agent;

import dev.deviceactions.common.DatabaseFailures;
import dev.deviceactions.common.DeviceActionsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The waiting check-in ({@code Prefer: wait=N}): a check-in that finds no command is held until a
 * command committed on any replica is pending for its device ({@link PendingActions} wakes it), and
 * then answers with it, or until its time is up. Delivery is the plain check-in's, so its SKIP
 * LOCKED hand-over keeps it exactly once however many instances wake.
 */
@ApplicationScoped
public class WaitingCheckinService {
  private static final CheckinView NO_COMMANDS = new CheckinView(List.of());
  private static final Duration RETRY = Duration.ofMillis(500);

  private final AgentService agent;
  private final CheckinWaiters waiters;
  private final PendingActions pending;
  private final DeviceActionsConfig config;

  public WaitingCheckinService(
      AgentService agent,
      CheckinWaiters waiters,
      PendingActions pending,
      DeviceActionsConfig config) {
    this.agent = agent;
    this.waiters = waiters;
    this.pending = pending;
    this.config = config;
  }

  /** What a waiting check-in answers, and the wait it applied (empty: it was not held). */
  public record Answer(CheckinView view, Optional<Duration> applied) {}

  /**
   * Checks in; holds the answer up to {@code asked} (capped at max-wait) while there is none. No
   * wait asked, or none to be had (limit, shutdown): the plain check-in.
   */
  public Uni<Answer> checkin(UUID deviceId, CheckinRequest facts, Optional<Duration> asked) {
    Duration wait = asked.filter(a -> a.compareTo(maxWait()) < 0).orElse(maxWait());
    Optional<Waiter> held = asked.flatMap(a -> waiters.hold(deviceId, wait));
    if (held.isEmpty()) {
      return shielded(() -> agent.checkin(deviceId, facts))
          .map(view -> new Answer(view, Optional.empty()));
    }
    Waiter waiter = held.get();
    pending.announce(waiter);
    // Registered before the first read: an action committed after that read wakes the waiter.
    return shielded(() -> agent.checkin(deviceId, facts))
        .chain(
            view -> view.commands().isEmpty() ? commandsFor(waiter) : Uni.createFrom().item(view))
        .onTermination()
        .invoke(() -> waiters.release(waiter))
        .map(view -> new Answer(view, Optional.of(wait)));
  }

  public Duration maxWait() {
    return config.agent().maxWait();
  }

  private Uni<CheckinView> commandsFor(Waiter waiter) {
    return waiter
        .next()
        .chain(
            signal ->
                signal == Waiter.Signal.ended
                    ? Uni.createFrom().item(NO_COMMANDS)
                    : shielded(() -> agent.checkin(waiter.deviceId, null))
                        .onFailure(DatabaseFailures::unavailable)
                        .recoverWithItem(() -> retryLater(waiter))
                        .chain(
                            view ->
                                view.commands().isEmpty()
                                    ? commandsFor(waiter)
                                    : Uni.createFrom().item(view)));
  }

  /**
   * A re-read that found the database unavailable (it is restarting: the pool's connections are
   * broken, or the listener reconnected first) tries again while the wait lasts, so that a command
   * committed meanwhile is not left for the next check-in.
   */
  private static CheckinView retryLater(Waiter waiter) {
    waiter.queueChangedAfter(RETRY);
    return NO_COMMANDS;
  }

  /**
   * A client that hangs up cancels its request; a transaction already started still runs to its
   * commit or rollback, so that it leaves no connection or lock behind.
   */
  private static <T> Uni<T> shielded(Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(emitter -> work.get().subscribe().with(emitter::complete, emitter::fail));
  }
}
