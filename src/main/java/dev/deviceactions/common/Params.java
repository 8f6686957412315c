package dev.deviceactions.common;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Parses path and query parameters so that a bad one is a 400 naming the parameter (JAX-RS would
 * answer 404 for a path or query value it cannot convert).
 */
public final class Params {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 500;

  private Params() {}

  public static UUID uuid(String name, String raw) {
    try {
      return UUID.fromString(raw);
    } catch (RuntimeException e) {
      throw ProblemException.invalid(name, "is not a UUID");
    }
  }

  public static UUID optionalUuid(String name, String raw) {
    return blank(raw) ? null : uuid(name, raw);
  }

  public static <E extends Enum<E>> E optionalEnum(String name, String raw, Class<E> type) {
    if (blank(raw)) {
      return null;
    }
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(raw)) {
        return value;
      }
    }
    throw ProblemException.invalid(name, "is not one of the known values");
  }

  public static Instant optionalInstant(String name, String raw) {
    try {
      return blank(raw) ? null : Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(name, "is not an RFC 3339 UTC timestamp");
    }
  }

  public static int limit(String raw) {
    if (blank(raw)) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static boolean blank(String raw) {
    return raw == null || raw.isEmpty();
  }
}
