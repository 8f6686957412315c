package dev.deviceactions.common;

import java.util.List;
import java.util.function.Function;

/** One page of a keyset-paginated listing. */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * Builds a page from up to {@code limit + 1} rows: the extra row only says that another page
   * exists, and the last row shown is where it starts.
   */
  public static <R, T> Page<T> of(
      List<R> rows, int limit, Function<R, Cursor> position, Function<R, T> view) {
    boolean more = rows.size() > limit;
    List<R> shown = more ? rows.subList(0, limit) : rows;
    String next = more ? position.apply(shown.get(limit - 1)).encode() : null;
    return new Page<>(shown.stream().map(view).toList(), next);
  }
}
