package dev.deviceactions.action;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Idempotency-Key records past their lifetime, for the sweep. The request path reads and writes
 * them in {@link ActionStore}.
 */
@ApplicationScoped
public class IdempotencyRepository {

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
