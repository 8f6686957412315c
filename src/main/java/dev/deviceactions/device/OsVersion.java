package dev.deviceactions.device;

import java.util.Arrays;

/**
 * A dotted OS version compared numerically, component by component ({@code 7} equals {@code 7.0}).
 */
public record OsVersion(int[] parts) implements Comparable<OsVersion> {
  /** What the API accepts: one to four dot-separated numbers. */
  public static final String PATTERN = "\\d{1,9}(\\.\\d{1,9}){0,3}";

  private static final int MOST_PARTS = 4;
  private static final int MOST_DIGITS = 9;

  /** Reads what {@link #PATTERN} accepts, digit by digit (it runs on every action request). */
  public static OsVersion parse(String text) {
    if (text == null || text.isEmpty()) {
      throw notDotted();
    }
    int[] parts = new int[MOST_PARTS];
    int count = 0;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c >= '0' && c <= '9' && digits < MOST_DIGITS) {
        parts[count] = parts[count] * 10 + (c - '0');
        digits++;
      } else if (c == '.' && digits > 0 && count < MOST_PARTS) {
        count++;
        digits = 0;
        if (count == MOST_PARTS && i < text.length()) {
          throw notDotted();
        }
      } else {
        throw notDotted();
      }
    }
    return new OsVersion(Arrays.copyOf(parts, count));
  }

  private static IllegalArgumentException notDotted() {
    return new IllegalArgumentException("not a dotted version");
  }

  @Override
  public int compareTo(OsVersion other) {
    int length = Math.max(parts.length, other.parts.length);
    for (int i = 0; i < length; i++) {
      int difference = Integer.compare(part(i), other.part(i));
      if (difference != 0) {
        return difference;
      }
    }
    return 0;
  }

  public boolean isBelow(OsVersion other) {
    return compareTo(other) < 0;
  }

  private int part(int index) {
    return index < parts.length ? parts[index] : 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OsVersion version && compareTo(version) == 0;
  }

  @Override
  public int hashCode() {
    int length = parts.length;
    while (length > 0 && parts[length - 1] == 0) {
      length--;
    }
    return Arrays.hashCode(Arrays.copyOf(parts, length));
  }

  @Override
  public String toString() {
    return String.join(".", Arrays.stream(parts).mapToObj(String::valueOf).toList());
  }
}
