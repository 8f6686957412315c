package dev.deviceactions.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens that passed verification, each kept under the SHA-256 of the token (never the token
 * itself) until the instant its verifier gave; at most {@code capacity} of them, the least recently
 * used dropped first. A capacity of 0 keeps none.
 */
final class VerifiedTokenCache<V> {
  private final int capacity;
  private final Map<String, Kept<V>> entries;

  private record Kept<V>(V verified, Instant until) {}

  VerifiedTokenCache(int capacity) {
    this.capacity = Math.max(capacity, 0);
    // Access order: a get moves the entry to the end, so the eldest is the least recently used.
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Kept<V>> eldest) {
            return size() > VerifiedTokenCache.this.capacity;
          }
        };
  }

  boolean enabled() {
    return capacity > 0;
  }

  /** What was verified for this token, if it is cached and {@code now} is before its end. */
  Optional<V> get(String token, Instant now) {
    String key = hash(token);
    synchronized (entries) {
      Kept<V> entry = entries.get(key);
      if (entry != null && !now.isBefore(entry.until())) {
        entries.remove(key);
        return Optional.empty();
      }
      return Optional.ofNullable(entry).map(Kept::verified);
    }
  }

  /** Keeps a verified token until {@code until}; one already at its end is not kept. */
  void put(String token, V verified, Instant until, Instant now) {
    if (!enabled() || !now.isBefore(until)) {
      return;
    }
    String key = hash(token);
    synchronized (entries) {
      entries.put(key, new Kept<>(verified, until));
    }
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
