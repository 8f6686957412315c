package dev.deviceactions.action;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/** An action as the API shows it; it never carries a secret. */
@RegisterForReflection
public record ActionView(
    UUID id,
    UUID deviceId,
    ActionType action,
    ActionState state,
    String failureReason,
    String detail,
    String initiatedBy,
    Instant requestedAt,
    Instant lastUpdatedAt,
    Instant completedAt,
    UUID bulkActionId,
    int notNowCount) {

  public static ActionView of(DeviceAction a) {
    return new ActionView(
        a.id,
        a.deviceId,
        a.action,
        a.state,
        a.failureReason,
        a.detail,
        a.initiatedBy,
        a.requestedAt,
        a.lastUpdatedAt,
        a.completedAt,
        a.bulkActionId,
        a.notNowCount);
  }
}
