package dev.deviceactions.common;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays that grow exponentially and are spread out, so that many attempts refused at once do
 * not all return at once.
 */
public final class Jitter {
  private Jitter() {}

  /**
   * The delay before the attempt after {@code previousAttempts} failed ones: half the exponential
   * step ({@code initialMillis} doubled per attempt, at most {@code maxMillis}) plus a random part
   * of the other half ("equal jitter").
   */
  public static long delayMillis(long initialMillis, long maxMillis, int previousAttempts) {
    long step = initialMillis << Math.min(previousAttempts, 30);
    long capped = step <= 0 ? maxMillis : Math.min(step, maxMillis);
    long half = Math.max(capped / 2, 1);
    return half + ThreadLocalRandom.current().nextLong(half + 1);
  }
}
