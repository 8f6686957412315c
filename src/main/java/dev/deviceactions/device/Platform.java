package dev.deviceactions.device;

/** The platforms of support-matrix.md; {@code windows} is desktop Windows. */
public enum Platform {
  android,
  iOS,
  iPadOS,
  macOS,
  windows,
  windowsPhone
}
