package dev.deviceactions.secret;

import java.security.SecureRandom;

/** Random PINs and passcodes, uniform over their alphabet. */
public final class SecretGenerator {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int PASSCODE_DIGITS = 8;

  private SecretGenerator() {}

  /** A macOS recovery PIN: six digits, 000000 to 999999, each equally likely. */
  public static String recoveryPin() {
    return digits(6);
  }

  /** A temporary passcode that every platform's numeric passcode policy accepts. */
  public static String temporaryPasscode() {
    return digits(PASSCODE_DIGITS);
  }

  private static String digits(int count) {
    StringBuilder value = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      value.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return value.toString();
  }
}
