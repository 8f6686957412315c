package dev.deviceactions.apple;

import dev.deviceactions.device.OsVersion;

/** Device-reported text made fit to store: cut to a column's length, or dropped if malformed. */
final class Text {
  private Text() {}

  static String bounded(String value, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.strip();
    return trimmed.length() <= max ? trimmed : trimmed.substring(0, max);
  }

  /** An OS version the support matrix can compare (dotted numbers), else null. */
  static String osVersion(String value) {
    return value != null && value.matches(OsVersion.PATTERN) && value.length() <= 64 ? value : null;
  }
}
