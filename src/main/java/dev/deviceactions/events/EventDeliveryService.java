package dev.deviceactions.events;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * What operators see of the stream: the events not yet delivered everywhere, and the replay of
 * failed ones (same ce-id, to the sinks that have not taken them, counted against max-age anew).
 */
@ApplicationScoped
public class EventDeliveryService {
  private final OutboxRepository outbox;
  private final EventRelay relay;

  public EventDeliveryService(OutboxRepository outbox, EventRelay relay) {
    this.outbox = outbox;
    this.relay = relay;
  }

  public Uni<Page<EventDeliveryView>> list(DeliveryState state, Cursor cursor, int limit) {
    return outbox
        .list(state.name(), cursor, limit + 1)
        .map(rows -> Page.of(rows, limit, v -> new Cursor(v.time(), v.id()), v -> v));
  }

  /** Replays one failed delivery; one that is pending already is answered as it is. */
  public Uni<EventDeliveryView> replay(UUID id) {
    return outbox
        .replay(id)
        .chain(replayed -> replayed != null ? woken(replayed) : outbox.find(id))
        .invoke(
            view -> {
              if (view == null) {
                throw new ProblemException(
                    ProblemCode.eventNotFound, "No undelivered event has this id.");
              }
            });
  }

  private Uni<EventDeliveryView> woken(EventDeliveryView replayed) {
    relay.wake();
    return Uni.createFrom().item(replayed);
  }

  public Uni<ReplayView> replayFailed() {
    return outbox.replayFailed().invoke(relay::wake).map(ReplayView::new);
  }
}
