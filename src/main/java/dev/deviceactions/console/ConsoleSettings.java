package dev.deviceactions.console;

/**
 * What the console reads before its sign-in page: the OpenID Connect provider to sign in with (none
 * when no client id is configured) and whether pasting a token is offered.
 */
public record ConsoleSettings(Oidc oidc, boolean tokenPaste) {

  /** The provider: its issuer (discovery at {@code /.well-known/openid-configuration}). */
  public record Oidc(String issuer, String clientId, String scope) {}
}
