package dev.deviceactions.common;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row read by column name, whether the reactive client's {@link Row} or a row that PostgreSQL
 * wrote as JSON ({@code to_jsonb}), so that each entity has one mapper for both. A column the
 * statement did not select reads as null (false, 0).
 */
public interface Columns {
  String string(String column);

  UUID uuid(String column);

  Instant instant(String column);

  boolean bool(String column);

  int integer(String column);

  static Columns of(Row row) {
    return new Columns() {
      @Override
      public String string(String column) {
        return has(column) ? row.getString(column) : null;
      }

      @Override
      public UUID uuid(String column) {
        return has(column) ? row.getUUID(column) : null;
      }

      @Override
      public Instant instant(String column) {
        OffsetDateTime t = has(column) ? row.getOffsetDateTime(column) : null;
        return t == null ? null : t.toInstant();
      }

      @Override
      public boolean bool(String column) {
        return has(column) && Boolean.TRUE.equals(row.getBoolean(column));
      }

      @Override
      public int integer(String column) {
        Integer value = has(column) ? row.getInteger(column) : null;
        return value == null ? 0 : value;
      }

      private boolean has(String column) {
        return row.getColumnIndex(column) >= 0;
      }
    };
  }

  /**
   * PostgreSQL writes uuid as a string and timestamptz with an offset (+00:00 in a UTC session).
   */
  static Columns of(JsonObject json) {
    return new Columns() {
      @Override
      public String string(String column) {
        return json.getString(column);
      }

      @Override
      public UUID uuid(String column) {
        String value = json.getString(column);
        return value == null ? null : UUID.fromString(value);
      }

      @Override
      public Instant instant(String column) {
        String value = json.getString(column);
        return value == null ? null : OffsetDateTime.parse(value).toInstant();
      }

      @Override
      public boolean bool(String column) {
        return json.getBoolean(column, false);
      }

      @Override
      public int integer(String column) {
        return json.getInteger(column, 0);
      }
    };
  }
}
