package dev.deviceactions.common;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Gives an {@code admin} every role of the API, so endpoints name only the role they need. */
@ApplicationScoped
public class AdminRoleAugmentor implements SecurityIdentityAugmentor {

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || !identity.hasRole(Roles.ADMIN)) {
      return Uni.createFrom().item(identity);
    }
    return Uni.createFrom()
        .item(QuarkusSecurityIdentity.builder(identity).addRoles(Roles.IMPLIED_BY_ADMIN).build());
  }
}
