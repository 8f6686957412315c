package dev.deviceactions.apple;

import dev.deviceactions.action.ActionState;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.common.Columns;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** The service's own MDM commands (apple_command). */
@ApplicationScoped
public class MdmCommandRepository implements PanacheRepositoryBase<MdmCommand, UUID> {
  /**
   * The device's next command over MDM, in one statement: the oldest of its oldest unanswered
   * remote action ({@code ActionRepository.oldestUnanswered}'s rule, a restart past its deadline
   * left out) and its oldest unanswered own command, by (requested_at, id); as JSON, {@code kind}
   * (action or own) and the row. %1$s and %2$s: the NotNow filter of each branch, or nothing.
   */
  private static final String NEXT =
      """
      select cast(jsonb_build_object('kind', kind, 'row', item) as text)
      from (
        (select 'action' as kind, to_jsonb(a) as item, a.requested_at, a.id
         from device_action a
         where a.device_id = :device and (a.state = 'active' or (a.state = 'pending'%1$s))
           and not %3$s
         order by a.requested_at, a.id
         limit 1)
        union all
        (select 'own', to_jsonb(c), c.requested_at, c.id
         from apple_command c
         where c.device_id = :device and (c.state = 'active' or (c.state = 'pending'%2$s))
         order by c.requested_at, c.id
         limit 1)
      ) n
      order by requested_at, id
      limit 1
      """;

  private static final String NEXT_ANY =
      NEXT.formatted("", "", RestartDeadline.overdueSql("a", ":overdueBefore"));
  private static final String NEXT_AFTER_NOT_NOW =
      NEXT.formatted(
          " and a.not_now_count = 0",
          " and c.not_now_count = 0",
          RestartDeadline.overdueSql("a", ":overdueBefore"));

  /** The next command: a remote action or an own command (exactly one is set). */
  record Next(DeviceAction action, MdmCommand own) {}

  /**
   * The device's next command ({@link #NEXT}), or null; after a NotNow, none that the device put
   * off since. What the session changed is flushed first, so that the statement sees it.
   */
  Uni<Next> next(UUID deviceId, Instant overdueBefore, boolean skipNotNow) {
    return getSession()
        .chain(
            s ->
                s.flush()
                    .chain(
                        () ->
                            s.createNativeQuery(
                                    skipNotNow ? NEXT_AFTER_NOT_NOW : NEXT_ANY, String.class)
                                .setParameter("device", deviceId)
                                .setParameter("overdueBefore", overdueBefore)
                                .getSingleResultOrNull()))
        .map(MdmCommandRepository::next);
  }

  private static Next next(String json) {
    if (json == null) {
      return null;
    }
    JsonObject found = new JsonObject(json);
    Columns row = Columns.of(found.getJsonObject("row"));
    return "own".equals(found.getString("kind"))
        ? new Next(null, own(row))
        : new Next(DeviceAction.from(row), null);
  }

  private static MdmCommand own(Columns row) {
    MdmCommand c = new MdmCommand();
    c.id = row.uuid("id");
    c.deviceId = row.uuid("device_id");
    c.requestType = row.string("request_type");
    c.state = ActionState.valueOf(row.string("state"));
    c.notNowCount = row.integer("not_now_count");
    c.requestedAt = row.instant("requested_at");
    c.lastUpdatedAt = row.instant("last_updated_at");
    return c;
  }

  /** An own command handed over (again): active since {@code now}. */
  Uni<Integer> handedOver(UUID id, Instant now) {
    return update("state = ?2, lastUpdatedAt = ?3 where id = ?1", id, ActionState.active, now);
  }

  /** The device's own command {@code id}, or null. */
  Uni<MdmCommand> findOwn(UUID id, UUID deviceId) {
    return find("id = ?1 and deviceId = ?2", id, deviceId).firstResult();
  }

  /** What a device that left MDM will never answer. */
  Uni<Long> dropUnanswered(UUID deviceId) {
    return delete(
        "deviceId = ?1 and state in (?2, ?3)", deviceId, ActionState.pending, ActionState.active);
  }
}
