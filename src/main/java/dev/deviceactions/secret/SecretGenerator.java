package dev.deviceactions.secret;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;

/**
 * Random PINs and passcodes, uniform over their alphabet. A bean, so that its {@link SecureRandom}
 * is created at run time: a static one would be seeded at build time and frozen into the native
 * image's heap.
 */
@ApplicationScoped
public class SecretGenerator {
  private static final int PASSCODE_DIGITS = 8;
  private final SecureRandom random = new SecureRandom();

  /** A macOS recovery PIN: six digits, 000000 to 999999, each equally likely. */
  public String recoveryPin() {
    return digits(6);
  }

  /** A temporary passcode that every platform's numeric passcode policy accepts. */
  public String temporaryPasscode() {
    return digits(PASSCODE_DIGITS);
  }

  private String digits(int count) {
    StringBuilder value = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      value.append((char) ('0' + random.nextInt(10)));
    }
    return value.toString();
  }
}
