package dev.deviceactions.common;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Builds the SQL of a listing: a condition per given filter, then the keyset position, newest
 * first. SQL rather than HQL, so that a process's first listing neither loads nor runs Hibernate's
 * query parser (README, Start-up); the rows still come back as entities.
 */
public final class Where {
  private final List<String> conditions = new ArrayList<>();
  private final Map<String, Object> params = new HashMap<>();

  /** Adds {@code condition} (naming {@code :name}) only when a value was given. */
  public Where and(String condition, String name, Object value) {
    if (value != null) {
      conditions.add(condition);
      params.put(name, value);
    }
    return this;
  }

  public Where and(String condition) {
    conditions.add(condition);
    return this;
  }

  /**
   * Rows after the cursor in (time desc, id desc) order, as one row comparison the index serves.
   */
  public Where after(String timeColumn, Cursor cursor) {
    if (cursor != null) {
      conditions.add("(" + timeColumn + ", id) < (:cursorAt, :cursorId)");
      params.put("cursorAt", cursor.at());
      params.put("cursorId", cursor.id());
    }
    return this;
  }

  public Map<String, Object> params() {
    return params;
  }

  /** The first {@code limit} rows of {@code table} that match, newest {@code timeColumn} first. */
  public <T> Uni<List<T>> list(
      Mutiny.Session session, Class<T> entity, String table, String timeColumn, int limit) {
    String filter = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    var query =
        session.createNativeQuery(
            "select * from " + table + filter + " order by " + timeColumn + " desc, id desc",
            entity);
    params.forEach(query::setParameter);
    return query.setMaxResults(limit).getResultList();
  }
}
