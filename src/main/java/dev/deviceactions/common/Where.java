package dev.deviceactions.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the filter of a listing, in HQL or SQL (the conditions' language): a condition per given
 * filter, then the keyset position.
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
  public Where after(String timeField, Cursor cursor) {
    if (cursor != null) {
      conditions.add("(" + timeField + ", id) < (:cursorAt, :cursorId)");
      params.put("cursorAt", cursor.at());
      params.put("cursorId", cursor.id());
    }
    return this;
  }

  /** The query text: filters, then newest first. */
  public String query(String timeField) {
    String filter = conditions.isEmpty() ? "" : String.join(" and ", conditions);
    return filter + " order by " + timeField + " desc, id desc";
  }

  public Map<String, Object> params() {
    return params;
  }
}
