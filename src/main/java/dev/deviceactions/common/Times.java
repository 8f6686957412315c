package dev.deviceactions.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as the API shows them: UTC, millisecond precision. */
public final class Times {
  private Times() {}

  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
