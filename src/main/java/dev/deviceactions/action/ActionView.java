package dev.deviceactions.action;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/**
 * An action as the API shows it; it never carries a secret. Read paths build it through {@link
 * RestartDeadline#view}, which applies the restart deadline to what is stored.
 */
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

  /** The action as stored. */
  static ActionView of(DeviceAction a) {
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

  /** This open restart as it reads once its deadline {@code at} has passed. */
  ActionView timedOut(Instant at) {
    return new ActionView(
        id,
        deviceId,
        action,
        ActionState.failed,
        RestartDeadline.TIMED_OUT,
        detail,
        initiatedBy,
        requestedAt,
        at,
        at,
        bulkActionId,
        notNowCount);
  }
}
