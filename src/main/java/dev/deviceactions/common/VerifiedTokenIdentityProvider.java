package dev.deviceactions.common;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.smallrye.jwt.runtime.auth.MpJwtValidator;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens verified once by smallrye-jwt and then taken from {@link VerifiedTokenCache} until
 * they expire, because verifying the signature on every request cost about a tenth of the event
 * loop's time (issue 13). A token not cached, or past its end, goes to smallrye-jwt's own provider,
 * which decides as it always did (clock skew included); a refusal is never cached. The roles a
 * token stands for (AdminRoleAugmentor) are resolved once too, when it is verified, and kept with
 * it.
 */
@ApplicationScoped
public class VerifiedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
  private final MpJwtValidator verifier;
  private final AdminRoleAugmentor roles;

  private final VerifiedTokenCache<Verified> cache;
  private final Optional<Long> maxAgeSeconds;
  private final Telemetry telemetry;

  /** A verified token and every role it stands for (AdminRoleAugmentor's). */
  private record Verified(JsonWebToken token, Set<String> roles) {}

  VerifiedTokenIdentityProvider(
      MpJwtValidator verifier,
      JWTAuthContextInfo verification,
      AdminRoleAugmentor roles,
      DeviceActionsConfig config,
      Telemetry telemetry) {
    this.verifier = verifier;
    this.roles = roles;
    this.cache = new VerifiedTokenCache<>(config.auth().tokenCacheSize());
    this.maxAgeSeconds = Optional.ofNullable(verification.getTokenAge());
    this.telemetry = telemetry;
    telemetry.tokenCacheSize(cache::size);
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  /** Asked before smallrye-jwt's provider, which then sees only the tokens this one passes on. */
  @Override
  public int priority() {
    return verifier.priority() + 1;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    if (!cache.enabled() || !(request.getToken() instanceof JsonWebTokenCredential)) {
      return verifier.authenticate(request, context);
    }
    String token = request.getToken().getToken();
    Optional<Verified> cached = cache.get(token, Instant.now());
    if (cached.isPresent()) {
      telemetry.tokenCacheHit();
      return Uni.createFrom().item(identity(cached.get(), request));
    }
    telemetry.tokenCacheMiss();
    return verifier.authenticate(request, context).invoke(identity -> remember(token, identity));
  }

  private void remember(String token, SecurityIdentity identity) {
    if (identity != null && identity.getPrincipal() instanceof JsonWebToken verified) {
      cache.put(
          token,
          new Verified(verified, Set.copyOf(roles.roles(identity))),
          end(verified),
          Instant.now());
    }
  }

  /**
   * Its expiry, or earlier if mp.jwt.verify.token.age ends it first. Never later: the clock skew
   * smallrye-jwt allows past the expiry is left to smallrye-jwt, which verifies the token again.
   */
  private Instant end(JsonWebToken verified) {
    Instant expiry = Instant.ofEpochSecond(verified.getExpirationTime());
    return maxAgeSeconds
        .map(age -> Instant.ofEpochSecond(verified.getIssuedAtTime() + age))
        .filter(byAge -> byAge.isBefore(expiry))
        .orElse(expiry);
  }

  /**
   * The identity smallrye-jwt's MpJwtValidator builds, with this request's routing context, and
   * with every role the token stands for, resolved when it was verified: the role augmentor then
   * has nothing to do.
   */
  private static SecurityIdentity identity(Verified verified, TokenAuthenticationRequest request) {
    var identity =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(verified.token())
            .addCredential(request.getToken())
            .addRoles(verified.roles())
            .addAttribute("quarkus.user", verified.token())
            .addAttribute(AdminRoleAugmentor.ROLES_RESOLVED, true);
    RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
    if (routing != null) {
      identity.addAttribute(RoutingContext.class.getName(), routing);
    }
    return identity.build();
  }
}
