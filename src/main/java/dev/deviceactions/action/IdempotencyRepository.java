package dev.deviceactions.action;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Idempotency-Key records, scoped to the caller: which action a key created, and when. */
@ApplicationScoped
public class IdempotencyRepository {

  /** What a key recorded within its lifetime. */
  public record Entry(UUID actionId, UUID deviceId, ActionType action) {}

  public Uni<Entry> find(String actor, String key, Instant freshAfter) {
    String sql =
        "select action_id, device_id, action from idempotency_key"
            + " where actor = :actor and key = :key and created_at >= :freshAfter";
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(sql, Object[].class)
                    .setParameter("actor", actor)
                    .setParameter("key", key)
                    .setParameter("freshAfter", freshAfter)
                    .getResultList())
        .map(rows -> rows.isEmpty() ? null : entry(rows.getFirst()));
  }

  /**
   * Records the key for a new action, replacing an expired record. False when a live record exists:
   * a concurrent request with the same key committed first.
   */
  public Uni<Boolean> claim(String actor, String key, DeviceAction action, Instant freshAfter) {
    String sql =
        "insert into idempotency_key (actor, key, action_id, device_id, action, created_at)"
            + " values (:actor, :key, :actionId, :deviceId, :action, :now)"
            + " on conflict (actor, key) do update set action_id = excluded.action_id,"
            + " device_id = excluded.device_id, action = excluded.action,"
            + " created_at = excluded.created_at where idempotency_key.created_at < :freshAfter";
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(sql)
                    .setParameter("actor", actor)
                    .setParameter("key", key)
                    .setParameter("actionId", action.id)
                    .setParameter("deviceId", action.deviceId)
                    .setParameter("action", action.action.name())
                    .setParameter("now", action.requestedAt)
                    .setParameter("freshAfter", freshAfter)
                    .executeUpdate())
        .map(count -> count == 1);
  }

  private static Entry entry(Object[] row) {
    return new Entry((UUID) row[0], (UUID) row[1], ActionType.valueOf((String) row[2]));
  }

  /** Keys past their lifetime, at most {@code limit} of them; the sweep calls this. */
  public Uni<Integer> deleteExpired(Instant freshAfter, int limit) {
    String sql =
        "delete from idempotency_key where ctid = any (array(select ctid from idempotency_key"
            + " where created_at < :freshAfter limit :limit for update skip locked))";
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(sql)
                    .setParameter("freshAfter", freshAfter)
                    .setParameter("limit", limit)
                    .executeUpdate());
  }
}
