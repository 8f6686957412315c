package dev.deviceactions.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.deviceactions.support.Keycloak;
import dev.deviceactions.support.KeycloakProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in settings with Keycloak's realm as the issuer and its console client: what
 * the page reads to sign in, the CSP that lets it reach Keycloak, and that Keycloak answers the
 * page's requests from the console's origin (CORS), as the browser test then relies on.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class ConsoleOidcSettingsTest {
  private final Keycloak keycloak = Keycloak.shared();

  @Test
  void theConsoleSignsInWithTheIssuerOfTheApisTokens() {
    given()
        .get("/console/settings")
        .then()
        .statusCode(200)
        .body("oidc.issuer", equalTo(keycloak.issuer()))
        .body("oidc.clientId", equalTo(Keycloak.CONSOLE_CLIENT))
        .body("oidc.scope", equalTo("openid"))
        // The test profile still offers the pasted token; a production build never does.
        .body("tokenPaste", equalTo(true));
  }

  @Test
  void theCspLetsThePageReachTheIssuersOriginAndNoOther() {
    URI issuer = URI.create(keycloak.issuer());
    String origin = issuer.getScheme() + "://" + issuer.getAuthority();
    given()
        .get("/console/")
        .then()
        .statusCode(200)
        .header("Content-Security-Policy", containsString("connect-src 'self' " + origin + ";"))
        .header("Content-Security-Policy", startsWith("default-src 'none'; script-src 'self';"));
  }

  @Test
  void keycloakAnswersThePagesRequestsFromTheConsolesOriginAlone() {
    String console = "http://localhost:" + RestAssured.port;
    keycloak.allowConsoleOrigin(console);
    String discovery = keycloak.issuer() + "/.well-known/openid-configuration";
    given()
        .header("Origin", console)
        .get(discovery)
        .then()
        .statusCode(200)
        .body("code_challenge_methods_supported", hasItem("S256"))
        .body("end_session_endpoint", startsWith(keycloak.issuer()));
    // The token request the page sends after the login page, here with a code Keycloak never gave:
    // refused, but with the CORS header that lets the page read the answer; from another origin,
    // none.
    tokenRequestWithABadCode(console, console)
        .header("Access-Control-Allow-Origin", equalTo(console));
    tokenRequestWithABadCode("http://localhost:1", console)
        .header("Access-Control-Allow-Origin", nullValue());
  }

  private ValidatableResponse tokenRequestWithABadCode(String origin, String console) {
    return given()
        .header("Origin", origin)
        .formParam("grant_type", "authorization_code")
        .formParam("client_id", Keycloak.CONSOLE_CLIENT)
        .formParam("code", "not-a-code")
        .formParam("redirect_uri", console + "/console/")
        .post(keycloak.issuer() + "/protocol/openid-connect/token")
        .then()
        .statusCode(400);
  }
}
