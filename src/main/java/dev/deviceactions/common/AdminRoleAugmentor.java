package dev.deviceactions.common;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives an {@code admin} every role of the API, and a token carrying Microsoft Graph permission
 * names (app roles in {@code roles}, delegated scopes in the space-separated {@code scp}) the roles
 * those names stand for, so that endpoints name only the role they need.
 */
@ApplicationScoped
public class AdminRoleAugmentor implements SecurityIdentityAugmentor {

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous()) {
      return Uni.createFrom().item(identity);
    }
    Set<String> implied = new HashSet<>();
    if (identity.hasRole(Roles.ADMIN)) {
      implied.addAll(Roles.IMPLIED_BY_ADMIN);
    }
    if (identity.getPrincipal() instanceof JsonWebToken token) {
      graphPermissions(token)
          .forEach(
              p -> implied.addAll(Roles.IMPLIED_BY_GRAPH_PERMISSION.getOrDefault(p, Set.of())));
    }
    if (implied.isEmpty()) {
      return Uni.createFrom().item(identity);
    }
    return Uni.createFrom()
        .item(QuarkusSecurityIdentity.builder(identity).addRoles(implied).build());
  }

  private static Stream<String> graphPermissions(JsonWebToken token) {
    Stream<String> roles =
        token.getClaim("roles") instanceof Collection<?> values
            ? values.stream().map(AdminRoleAugmentor::text)
            : Stream.empty();
    Object scp = token.getClaim("scp");
    String scopes = scp == null ? "" : text(scp);
    return Stream.concat(roles, Arrays.stream(scopes.trim().split("\\s+")));
  }

  /** A claim value as text: the JSON-P string a JWT claim comes as, or a plain one. */
  private static String text(Object value) {
    return value instanceof JsonString s ? s.getString() : String.valueOf(value);
  }
}
