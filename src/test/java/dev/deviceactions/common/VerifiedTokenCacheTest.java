package dev.deviceactions.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bounds of the cache of verified tokens: its end per token, its size, and 0 for off. */
class VerifiedTokenCacheTest {
  private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

  @Test
  void aTokenIsServedUntilItsEndAndNotFromThen() {
    var cache = new VerifiedTokenCache<String>(10);
    cache.put("token", "verified", NOW.plusSeconds(10), NOW);

    assertEquals(Optional.of("verified"), cache.get("token", NOW.plus(Duration.ofMillis(9_999))));
    assertEquals(Optional.empty(), cache.get("token", NOW.plusSeconds(10)));
    assertEquals(0, cache.size());
    assertEquals(Optional.empty(), cache.get("another token", NOW));
  }

  @Test
  void aTokenAlreadyAtItsEndIsNotKept() {
    var cache = new VerifiedTokenCache<String>(10);
    cache.put("expired", "verified", NOW, NOW);
    cache.put("long expired", "verified", NOW.minusSeconds(60), NOW);
    assertEquals(0, cache.size());
  }

  @Test
  void beyondItsSizeTheLeastRecentlyUsedTokenIsDropped() {
    var cache = new VerifiedTokenCache<String>(3);
    for (String token : new String[] {"a", "b", "c"}) {
      cache.put(token, token.toUpperCase(), NOW.plusSeconds(60), NOW);
    }
    cache.get("a", NOW);
    cache.put("d", "D", NOW.plusSeconds(60), NOW);
    cache.put("e", "E", NOW.plusSeconds(60), NOW);

    assertEquals(3, cache.size());
    assertEquals(Optional.of("A"), cache.get("a", NOW));
    assertEquals(Optional.empty(), cache.get("b", NOW));
    assertEquals(Optional.empty(), cache.get("c", NOW));
    assertEquals(Optional.of("E"), cache.get("e", NOW));
  }

  @Test
  void aBoundOfTenThousandHoldsUnderManyMoreTokens() {
    var cache = new VerifiedTokenCache<Integer>(10_000);
    for (int i = 0; i < 25_000; i++) {
      cache.put("token-" + i, i, NOW.plusSeconds(300), NOW);
    }
    assertEquals(10_000, cache.size());
    assertEquals(Optional.of(24_999), cache.get("token-24999", NOW));
    assertEquals(Optional.empty(), cache.get("token-14999", NOW));
  }

  @Test
  void sizeZeroKeepsNothing() {
    var cache = new VerifiedTokenCache<String>(0);
    cache.put("token", "verified", NOW.plusSeconds(60), NOW);
    assertFalse(cache.enabled());
    assertEquals(Optional.empty(), cache.get("token", NOW));
  }
}
