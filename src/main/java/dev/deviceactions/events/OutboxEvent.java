package dev.deviceactions.events;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** One claimed outbox row: the event to send and what earlier attempts achieved. */
record OutboxEvent(
    long seq,
    UUID id,
    String type,
    UUID subject,
    OffsetDateTime occurredAt,
    JsonObject data,
    int attempts,
    OffsetDateTime agingSince,
    List<String> deliveredTo) {

  static OutboxEvent of(Row row) {
    return new OutboxEvent(
        row.getLong("seq"),
        row.getUUID("id"),
        row.getString("type"),
        row.getUUID("subject"),
        row.getOffsetDateTime("occurred_at"),
        (JsonObject) row.getValue("data"),
        row.getInteger("attempts"),
        row.getOffsetDateTime("aging_since"),
        Arrays.asList(row.getArrayOfStrings("delivered_to")));
  }
}
