package com.oracle.svm.hosted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pure-Java stand-in for the builder's class of the same name, patched into the builder module
 * (--patch-module) by src/native/NativeAnalysis.java. The original loads a native helper library
 * from the GraalVM distribution, which is not published, and fails every build without it. This one
 * reads the same two figures from the environment and from /proc.
 */
public final class ProgressReporterCHelper {
  private static final int DEFAULT_CHARACTERS_PER_LINE = 80;
  static final int MAX_CHARACTERS_PER_LINE = 120;

  private ProgressReporterCHelper() {}

  public static int getTerminalWindowColumnsClamped() {
    return Math.min(
        Math.max(DEFAULT_CHARACTERS_PER_LINE, getTerminalWindowColumns()), MAX_CHARACTERS_PER_LINE);
  }

  /** The terminal's width as the shell exports it in COLUMNS, else 80. */
  public static int getTerminalWindowColumns() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
    } catch (NumberFormatException e) {
      return DEFAULT_CHARACTERS_PER_LINE;
    }
  }

  /** This process's peak resident set size in bytes (VmHWM), or -1 if unavailable. */
  public static long getPeakRSS() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
