package dev.deviceactions.common;

/**
 * Text PostgreSQL can store as it was sent: no NUL character (a text column cannot hold U+0000, and
 * the statement would fail as a 500) and no unpaired UTF-16 surrogate (it would be stored as '?').
 */
public final class StorableText {
  public static final String MESSAGE = "must not contain NUL characters or unpaired surrogates";

  private StorableText() {}

  public static boolean storable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return false;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
