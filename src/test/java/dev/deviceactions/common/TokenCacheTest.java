package dev.deviceactions.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cache of verified bearer tokens (device-actions.auth.token-cache-size), counted by
 * device_actions_token_cache{result=hit|miss} in /q/metrics: a token is verified once and then
 * taken from the cache with the roles it gave; past its expiry it is verified again, so that the
 * clock skew applies as without the cache, and refused after; one that fails verification is never
 * cached.
 */
@QuarkusTest
@TestProfile(TokenCacheTest.ShortClockSkew.class)
class TokenCacheTest {

  /**
   * Long enough for a read to be verified within it on a loaded machine, after a sleep that ends
   * 200 ms into it.
   */
  private static final long SKEW_SECONDS = 5;

  /**
   * smallrye-jwt accepts a token up to 60 s past its expiry by default; here 5 s (0 would mean the
   * default).
   */
  public static class ShortClockSkew implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("mp.jwt.verify.clock.skew", String.valueOf(SKEW_SECONDS));
    }
  }

  @Test
  void aTokenIsVerifiedOnceAndThenTakenFromTheCache() {
    var device = Api.mac();
    String token = Api.token("dora@example.com", "devices.read");
    var before = counts();

    for (int i = 0; i < 3; i++) {
      given().auth().oauth2(token).get("/api/v1/devices/" + device.id()).then().statusCode(200);
    }

    assertEquals(new Counts(2, 1), counts().minus(before));
  }

  @Test
  void rolesAreReadFromTheRoleClaimsOfACachedTokenAsOfAVerifiedOne() {
    var device = Api.mac();
    var adminByRealmRole = token(Map.of("realm_access", Map.of("roles", List.of("admin"))));
    var reader = token(Map.of("roles", List.of("devices.read")));
    var before = counts();

    for (int i = 0; i < 2; i++) {
      given().auth().oauth2(adminByRealmRole).get("/api/v1/audit-events").then().statusCode(200);
      given().auth().oauth2(reader).get("/api/v1/devices/" + device.id()).then().statusCode(200);
      given()
          .auth()
          .oauth2(reader)
          .post("/api/v1/devices/" + device.id() + "/rebootNow")
          .then()
          .statusCode(403);
    }

    assertEquals(new Counts(4, 2), counts().minus(before));
  }

  @Test
  void pastItsExpiryATokenIsVerifiedAgainAndRefusedOnceTheClockSkewIsOver()
      throws InterruptedException {
    var device = Api.mac();
    // At least 5 s ahead: the two reads before it must fit in that on a loaded machine too.
    long expiry = Instant.now().getEpochSecond() + 6;
    String token =
        Jwt.upn("erin@example.com")
            .groups("devices.read")
            .issuer(Api.ISSUER)
            .expiresAt(expiry)
            .sign(Api.signingKey());
    var before = counts();
    read(device, token, 200);
    read(device, token, 200);
    assertEquals(new Counts(1, 1), counts().minus(before));

    // Expired, within the clock skew: smallrye-jwt accepts it, as it would without the cache.
    sleepUntil(expiry * 1000 + 200);
    read(device, token, 200);
    assertEquals(new Counts(1, 2), counts().minus(before));

    // Past the skew: refused, though it was cached; and not cached again in between.
    sleepUntil((expiry + SKEW_SECONDS) * 1000 + 200);
    read(device, token, 401);
    read(device, token, 401);
    assertEquals(new Counts(1, 4), counts().minus(before));
  }

  @Test
  void aTokenThatFailsVerificationIsNeverCached() throws NoSuchAlgorithmException {
    var device = Api.mac();
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String forged =
        Jwt.upn("mallory@example.com")
            .groups("admin")
            .issuer(Api.ISSUER)
            .sign(generator.generateKeyPair().getPrivate());
    var before = counts();

    for (int i = 0; i < 3; i++) {
      given().auth().oauth2(forged).get("/api/v1/devices/" + device.id()).then().statusCode(401);
    }

    assertEquals(new Counts(0, 3), counts().minus(before));
  }

  private static void read(Api.EnrolledDevice device, String token, int status) {
    given().auth().oauth2(token).get("/api/v1/devices/" + device.id()).then().statusCode(status);
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    Thread.sleep(Math.max(0, epochMillis - System.currentTimeMillis()));
  }

  private static String token(Map<String, Object> claims) {
    var token = Jwt.upn("frank@example.com").issuer(Api.ISSUER);
    claims.forEach(token::claim);
    return token.sign(Api.signingKey());
  }

  /** Hits and misses of the cache so far. */
  record Counts(long hits, long misses) {
    Counts minus(Counts before) {
      return new Counts(hits - before.hits, misses - before.misses);
    }
  }

  private static Counts counts() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return new Counts(count(metrics, "hit"), count(metrics, "miss"));
  }

  private static long count(String metrics, String result) {
    Matcher m =
        Pattern.compile(
                "^device_actions_token_cache_total\\{result=\"" + result + "\"} ([0-9.E]+)$",
                Pattern.MULTILINE)
            .matcher(metrics);
    if (!m.find()) {
      throw new AssertionError("no device_actions_token_cache_total{result=" + result + "}");
    }
    return (long) Double.parseDouble(m.group(1));
  }
}
