package dev.deviceactions.console;

import static io.restassured.RestAssured.given;

import dev.deviceactions.support.Keycloak;
import dev.deviceactions.support.KeycloakProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The console's sign-in through a real provider in a real browser: src/e2e/oidc.e2e.mjs drives
 * Debian's chromium from the console to Keycloak's login page (support/Keycloak, the realm's public
 * client with PKCE), back to the device list, through a renewal of the 30-second access token, and
 * out through Keycloak's end-session endpoint. Runs with {@code -De2e=true}, as ConsoleE2ETest.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
@EnabledIfSystemProperty(named = "e2e", matches = "true", disabledReason = "runs with -De2e=true")
class ConsoleOidcE2ETest {
  private final Keycloak keycloak = Keycloak.shared();

  @Test
  void anOperatorSignsInAtKeycloakSeesTheDevicesAndSignsOut() throws Exception {
    String device = enroll(keycloak.token(Keycloak.OPERATOR));
    keycloak.allowConsoleOrigin("http://localhost:" + RestAssured.port);
    BrowserTest.run(
        List.of(
            "node",
            "src/e2e/oidc.e2e.mjs",
            "http://localhost:" + RestAssured.port,
            keycloak.issuer(),
            "--user",
            Keycloak.OPERATOR,
            "--password",
            Keycloak.OPERATOR + "-password",
            "--device",
            device,
            "--renewal",
            "--out",
            BrowserTest.OUT.toString()));
  }

  private static String enroll(String token) {
    String name = "OIDC-" + System.nanoTime();
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("name", name, "platform", "macOS", "osVersion", "14.2", "passcodeSet", true))
        .post("/api/v1/devices")
        .then()
        .statusCode(201);
    return name;
  }
}
