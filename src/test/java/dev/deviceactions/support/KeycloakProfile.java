package dev.deviceactions.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The app as a deployment signed in through Keycloak runs it: bearer tokens verified against the
 * realm's JWKS, issued by the realm ({@link Keycloak#shared()}, started once per test JVM), instead
 * of the test key pair the other tests use. Roles come from the default role claims, and the
 * console signs in with the realm's public client {@code device-actions-console}.
 */
public class KeycloakProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(Issuer.class));
  }

  /**
   * Points the app at Keycloak. Ordered after {@link TestStack}, whose static test key it replaces
   * (a later resource's value for the same key wins).
   */
  public static class Issuer implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      Keycloak keycloak = Keycloak.shared();
      return Map.of(
          "mp.jwt.verify.publickey.location",
          keycloak.jwksUrl(),
          "mp.jwt.verify.issuer",
          keycloak.issuer(),
          // The Audience mapper of the realm's clients writes the API's client id into aud.
          "mp.jwt.verify.audiences",
          "device-actions",
          "device-actions.console.oidc.client-id",
          Keycloak.CONSOLE_CLIENT);
    }

    @Override
    public int order() {
      return 100;
    }

    @Override
    public void stop() {
      // Keycloak stays up for the rest of the test JVM and stops with it (Keycloak.shared()).
    }
  }
}
