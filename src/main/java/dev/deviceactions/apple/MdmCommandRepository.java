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
import java.util.List;
import java.util.UUID;

/** The service's own MDM commands (apple_command). */
@ApplicationScoped
public class MdmCommandRepository implements PanacheRepositoryBase<MdmCommand, UUID> {
  /**
   * The device's next command over MDM, handed over, in one statement. The oldest of two: its
   * oldest remote action not answered yet (active, or pending; not a restart past its deadline,
   * which has failed) and its oldest own command not answered yet, by (requested_at, id). The one
   * found becomes active since :now (a remote action only from pending, an own command again).
   * Returned as found, before that: as JSON, {@code kind} (action or own) and the row. A pending
   * action that a request canceled while this statement waited for its row is not handed over:
   * nothing is returned, and the device's next connect gets what comes after it. %1$s and %2$s: the
   * filter of each branch after a NotNow (none that the device put off since), or nothing. {@code
   * :device} is a list of one, so that Hibernate caches no plan for it ({@link
   * MdmDeviceRepository#CONNECTED} says why).
   */
  private static final String HAND_OVER =
      """
      with next as (
        select kind, item, id, requested_at
        from (
          (select 'action' as kind, to_jsonb(a) as item, a.id, a.requested_at
           from device_action a
           where a.device_id in (:device) and (a.state = 'active' or (a.state = 'pending'%1$s))
             and not %3$s
           order by a.requested_at, a.id
           limit 1)
          union all
          (select 'own', to_jsonb(c), c.id, c.requested_at
           from apple_command c
           where c.device_id in (:device) and (c.state = 'active' or (c.state = 'pending'%2$s))
           order by c.requested_at, c.id
           limit 1)
        ) oldest
        order by requested_at, id
        limit 1),
      action as (
        update device_action a set state = 'active', last_updated_at = :now
        from next where next.kind = 'action' and a.id = next.id and a.state = 'pending'
        returning a.id),
      own as (
        update apple_command c set state = 'active', last_updated_at = :now
        from next where next.kind = 'own' and c.id = next.id
        returning c.id)
      select cast(jsonb_build_object('kind', kind, 'row', item) as text) from next
      where kind = 'own' or item ->> 'state' = 'active' or exists (select 1 from action)
      """;

  private static final String HAND_OVER_ANY =
      HAND_OVER.formatted("", "", RestartDeadline.overdueSql("a", ":overdueBefore"));
  private static final String HAND_OVER_AFTER_NOT_NOW =
      HAND_OVER.formatted(
          " and a.not_now_count = 0",
          " and c.not_now_count = 0",
          RestartDeadline.overdueSql("a", ":overdueBefore"));

  /** The command handed over, as found: a remote action or an own command (one is set). */
  record Next(DeviceAction action, MdmCommand own) {}

  /**
   * Hands the device's next command over ({@link #HAND_OVER}); null when it has none. What the
   * session changed is flushed first, so that the statement sees it (a result just recorded).
   */
  Uni<Next> handOverNext(UUID deviceId, Instant now, Instant overdueBefore, boolean skipNotNow) {
    return getSession()
        .chain(
            s ->
                s.flush()
                    .chain(
                        () ->
                            s.createNativeQuery(
                                    skipNotNow ? HAND_OVER_AFTER_NOT_NOW : HAND_OVER_ANY,
                                    String.class)
                                .setParameter("device", List.of(deviceId))
                                .setParameter("now", now)
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
