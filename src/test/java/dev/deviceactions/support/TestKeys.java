package dev.deviceactions.support;

import java.nio.file.Path;

/**
 * The keys of the tests, in src/test/resources/test-keys: a JWT key pair whose private half signs
 * test tokens and whose public half the app under test trusts, and a secrets key. They belong to
 * the tests only; neither dev mode (src/dev) nor a production artifact carries them.
 */
public final class TestKeys {
  private TestKeys() {}

  /** The issuer of test tokens, as the test profile's mp.jwt.verify.issuer expects. */
  public static final String ISSUER = "https://device-actions.test";

  /** The test profile's device-actions.secrets.key (application.properties), for packaged runs. */
  public static final String SECRETS_KEY = "Td2vr5XE0pJEWqpa2MvRY+KxHMXDP5HLdzDNYZcJd1k=";

  /** The private half, a classpath resource of the tests. */
  public static final String PRIVATE_KEY = "test-keys/jwt-private.pem";

  /**
   * The public half as a file URL, for a packaged app (jar or native binary): its classpath does
   * not hold the test resources.
   */
  public static String publicKeyLocation() {
    return Path.of("target/test-classes/test-keys/jwt-public.pem")
        .toAbsolutePath()
        .toUri()
        .toString();
  }
}
