package dev.deviceactions.agent;

import java.time.Duration;
import java.util.Optional;

/** The {@code wait} preference of an RFC 7240 {@code Prefer} header, e.g. {@code wait=30}. */
final class Prefer {
  static final String HEADER = "Prefer";
  static final String APPLIED = "Preference-Applied";

  private Prefer() {}

  /** The wait asked for: whole seconds, at least 1; anything else is ignored, as RFC 7240 says. */
  static Optional<Duration> waitOf(String header) {
    if (header == null) {
      return Optional.empty();
    }
    for (String preference : header.split(",")) {
      String[] nameValue = preference.split(";", 2)[0].split("=", 2);
      if (nameValue.length == 2 && nameValue[0].strip().equalsIgnoreCase("wait")) {
        return seconds(nameValue[1].strip().replace("\"", ""));
      }
    }
    return Optional.empty();
  }

  static String applied(Duration wait) {
    return "wait=" + wait.toSeconds();
  }

  private static Optional<Duration> seconds(String value) {
    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    long seconds = Long.parseLong(value);
    return seconds < 1 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }
}
