package dev.deviceactions.common;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of a listing: a condition per given filter, then the keyset position, newest first, run
 * on the reactive pool. Not HQL, so that a process's first listing neither loads nor runs
 * Hibernate's query parser; not a Hibernate native query either, whose plan Hibernate Reactive
 * caches anew at every run (README, Start-up). Conditions name their values {@code :name}.
 */
public final class Where {
  private final List<String> conditions = new ArrayList<>();
  private final Map<String, Object> params = new LinkedHashMap<>();

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

  /** A value that a condition added without one names; a timestamp, text, uuid or text[]. */
  public Where with(String name, Object value) {
    params.put(name, value);
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

  /** The first {@code limit} rows of {@code table} that match, newest {@code timeColumn} first. */
  public <T> Uni<List<T>> list(
      Pool database, String table, String timeColumn, int limit, Function<Row, T> read) {
    String filter = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    String sql = "select * from " + table + filter + " order by " + timeColumn + " desc, id desc";
    Tuple values = Tuple.tuple();
    for (Map.Entry<String, Object> param : params.entrySet()) {
      Pattern name = Pattern.compile(":" + param.getKey() + "(?![A-Za-z0-9_])");
      sql = name.matcher(sql).replaceAll(Matcher.quoteReplacement("$" + (values.size() + 1)));
      values.addValue(param.getValue() instanceof Instant at ? Times.utc(at) : param.getValue());
    }
    values.addInteger(limit);
    return database
        .preparedQuery(sql + " limit $" + values.size())
        .execute(values)
        .map(rows -> rows.stream().map(read).toList());
  }
}
