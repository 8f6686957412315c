package dev.deviceactions.agent;

import dev.deviceactions.common.Roles;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.device.DeviceTokens;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Resolves a device token to its enrolled device, by the token's SHA-256. */
@ApplicationScoped
public class DeviceTokenIdentityProvider implements IdentityProvider<DeviceTokenRequest> {
  private final DeviceRepository devices;

  public DeviceTokenIdentityProvider(DeviceRepository devices) {
    this.devices = devices;
  }

  @Override
  public Class<DeviceTokenRequest> getRequestType() {
    return DeviceTokenRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      DeviceTokenRequest request, AuthenticationRequestContext context) {
    return devices
        .findByTokenHash(DeviceTokens.hash(request.token()))
        .onItem()
        .ifNull()
        .failWith(AuthenticationFailedException::new)
        .map(
            device ->
                QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(device.id.toString()))
                    .addRole(Roles.DEVICE)
                    .build());
  }
}
