package dev.deviceactions.apple;

import dev.deviceactions.action.ActionState;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The service's own MDM commands (apple_command). */
@ApplicationScoped
public class MdmCommandRepository implements PanacheRepositoryBase<MdmCommand, UUID> {

  /**
   * The oldest command not answered yet (sent but unanswered, or still to send); after a NotNow,
   * none that the device put off since.
   */
  Uni<MdmCommand> oldestUnanswered(UUID deviceId, boolean skipNotNow) {
    String pending = skipNotNow ? "(state = ?3 and notNowCount = 0)" : "state = ?3";
    return find(
            "deviceId = ?1 and (state = ?2 or " + pending + ") order by requestedAt, id",
            deviceId,
            ActionState.active,
            ActionState.pending)
        .firstResult();
  }

  /** The device's command {@code id} if it was sent and is waiting for its answer. */
  Uni<MdmCommand> findActive(UUID id, UUID deviceId) {
    return find("id = ?1 and deviceId = ?2 and state = ?3", id, deviceId, ActionState.active)
        .firstResult();
  }

  /** What a device that left MDM will never answer. */
  Uni<Long> dropUnanswered(UUID deviceId) {
    return delete(
        "deviceId = ?1 and state in (?2, ?3)", deviceId, ActionState.pending, ActionState.active);
  }
}
