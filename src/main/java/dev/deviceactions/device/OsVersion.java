package dev.deviceactions.device;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A dotted OS version compared numerically, component by component ({@code 7} equals {@code 7.0}).
 */
public record OsVersion(int[] parts) implements Comparable<OsVersion> {
  /** What the API accepts: one to four dot-separated numbers. */
  public static final String PATTERN = "\\d{1,9}(\\.\\d{1,9}){0,3}";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  public static OsVersion parse(String text) {
    if (text == null || !VALID.matcher(text).matches()) {
      throw new IllegalArgumentException("not a dotted version");
    }
    return new OsVersion(Arrays.stream(text.split("\\.")).mapToInt(Integer::parseInt).toArray());
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
