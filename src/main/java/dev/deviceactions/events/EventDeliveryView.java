package dev.deviceactions.events;

import dev.deviceactions.common.Columns;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An event not yet delivered to every sink: {@code pending} (being retried) or {@code failed}
 * (refused by a sink, or past max-age), with its last error. {@code id} is the event's ce-id.
 */
@RegisterForReflection
public record EventDeliveryView(
    UUID id,
    String type,
    UUID subject,
    Instant time,
    String state,
    int attempts,
    Instant lastAttemptAt,
    Instant nextAttemptAt,
    String lastError,
    Instant failedAt,
    List<String> deliveredTo) {

  static EventDeliveryView of(Row row) {
    Columns columns = Columns.of(row);
    return new EventDeliveryView(
        row.getUUID("id"),
        row.getString("type"),
        row.getUUID("subject"),
        columns.instant("occurred_at"),
        row.getString("state"),
        row.getInteger("attempts"),
        columns.instant("last_attempt_at"),
        "failed".equals(row.getString("state")) ? null : columns.instant("next_attempt_at"),
        row.getString("last_error"),
        columns.instant("failed_at"),
        List.of(row.getArrayOfStrings("delivered_to")));
  }
}
