package dev.deviceactions.action;

import dev.deviceactions.common.ProblemException;
import java.util.UUID;

/** A request for one action on one device, with who asked and the retry key they sent. */
public record ActionCommand(
    UUID deviceId,
    ActionType action,
    String message,
    String phoneNumber,
    String idempotencyKey,
    String actor) {
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The retry key as sent (null for none); one outside 1 to 200 characters is refused. */
  public static String idempotencyKey(String key) {
    if (key != null && (key.isEmpty() || key.length() > 200)) {
      throw ProblemException.invalid(IDEMPOTENCY_KEY, "must be 1 to 200 characters");
    }
    return key;
  }
}
