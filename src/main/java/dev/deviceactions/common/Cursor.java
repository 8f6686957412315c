package dev.deviceactions.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A keyset position (timestamp, id) in a newest-first listing, opaque to clients. */
public record Cursor(Instant at, UUID id) {

  public String encode() {
    String raw = at.toEpochMilli() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Null for no cursor; a cursor this API did not issue is an invalid request. */
  public static Cursor decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      return new Cursor(
          Instant.ofEpochMilli(Long.parseLong(raw.substring(0, bar))),
          UUID.fromString(raw.substring(bar + 1)));
    } catch (RuntimeException e) {
      throw ProblemException.invalid("cursor", "is not a cursor this API issued");
    }
  }
}
