package dev.deviceactions.console;

import dev.deviceactions.common.DeviceActionsConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How the console signs in: with the provider that issues the API's tokens when a client id is
 * configured, by a pasted token only in dev and test mode (never in a production build), and the
 * Content-Security-Policy that lets the page's scripts reach that provider and nothing else.
 */
@ApplicationScoped
public class ConsoleSignIn {
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'%s;"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final ConsoleSettings settings;
  private final String contentSecurityPolicy;

  public ConsoleSignIn(
      DeviceActionsConfig config,
      @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer) {
    ConsoleSettings.Oidc oidc =
        config
            .console()
            .oidc()
            .clientId()
            .filter(id -> issuer.isPresent())
            .map(id -> new ConsoleSettings.Oidc(issuer.get(), id, scope(config)))
            .orElse(null);
    this.settings = new ConsoleSettings(oidc, LaunchMode.current().isDevOrTest());
    // The discovery document and the token endpoint are fetched from the page: connect-src needs
    // the
    // issuer's origin. The login and end-session pages are navigations, which connect-src does not
    // cover.
    this.contentSecurityPolicy = CSP.formatted(oidc == null ? "" : " " + origin(oidc.issuer()));
  }

  public ConsoleSettings settings() {
    return settings;
  }

  public String contentSecurityPolicy() {
    return contentSecurityPolicy;
  }

  private static String scope(DeviceActionsConfig config) {
    Set<String> scopes = new LinkedHashSet<>();
    scopes.add("openid");
    scopes.addAll(config.console().oidc().scopes());
    return String.join(" ", scopes);
  }

  private static String origin(String issuer) {
    URI uri = URI.create(issuer);
    return uri.getScheme() + "://" + uri.getAuthority();
  }
}
