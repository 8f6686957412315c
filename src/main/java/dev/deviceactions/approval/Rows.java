package dev.deviceactions.approval;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.stream.StreamSupport;

/** What the repositories of this package share: one row, maybe one row, all rows. */
final class Rows {
  private Rows() {}

  static Uni<Row> one(Pool database, String sql, Tuple args) {
    return database.preparedQuery(sql).execute(args).map(rows -> rows.iterator().next());
  }

  /** The first row, or null. */
  static Uni<Row> maybe(Pool database, String sql, Tuple args) {
    return database
        .preparedQuery(sql)
        .execute(args)
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
  }

  static List<Row> all(RowSet<Row> rows) {
    return StreamSupport.stream(rows.spliterator(), false).toList();
  }
}
