package dev.deviceactions.agent;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A device token presented as {@code Authorization: Bearer <token>} on the agent API. */
public class DeviceTokenRequest extends BaseAuthenticationRequest {
  private final String token;

  public DeviceTokenRequest(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
