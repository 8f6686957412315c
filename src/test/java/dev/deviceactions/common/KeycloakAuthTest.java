package dev.deviceactions.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Keycloak;
import dev.deviceactions.support.KeycloakProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sign-in against a real Keycloak (support/Keycloak): its access tokens are verified against the
 * realm's JWKS, their roles come from {@code realm_access.roles} and {@code
 * resource_access.device-actions.roles}, and after a rotation of the realm's signing key the app,
 * not restarted, accepts the tokens signed with the new key and refuses those of the old one that
 * it had not verified before.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class KeycloakAuthTest {
  private final Keycloak keycloak = Keycloak.shared();

  @Test
  void keycloakTokensCarryTheirRealmAndClientRoles() {
    String operator = keycloak.token(Keycloak.OPERATOR);
    String viewer = keycloak.token(Keycloak.VIEWER);
    // devices.write is a client role of the client device-actions: resource_access.
    String device = enroll(operator);
    // actions.remoteLock and devices.read are realm roles: realm_access.roles.
    given()
        .auth()
        .oauth2(operator)
        .post("/api/v1/devices/" + device + "/remoteLock")
        .then()
        .statusCode(202)
        .body("initiatedBy", equalTo(Keycloak.OPERATOR));
    given()
        .auth()
        .oauth2(viewer)
        .get("/api/v1/devices/" + device)
        .then()
        .statusCode(200)
        .body("id", equalTo(device));
    given()
        .auth()
        .oauth2(viewer)
        .post("/api/v1/devices/" + device + "/rebootNow")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(viewer)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "not-enrolled", "platform", "macOS", "osVersion", "14.2"))
        .post("/api/v1/devices")
        .then()
        .statusCode(403);
  }

  @Test
  void aRotatedSigningKeyNeedsNoRestart() {
    String before = keycloak.token(Keycloak.OPERATOR);
    String device = enroll(before);
    String neverPresented = keycloak.token(Keycloak.OPERATOR);

    keycloak.rotateSigningKey();
    assertFalse(keycloak.publishedKeyIds().contains(Keycloak.keyId(before)));
    String after = keycloak.token(Keycloak.OPERATOR);
    assertNotEquals(Keycloak.keyId(before), Keycloak.keyId(after));
    assertTrue(keycloak.publishedKeyIds().contains(Keycloak.keyId(after)));

    given()
        .auth()
        .oauth2(after)
        .post("/api/v1/devices/" + device + "/remoteLock")
        .then()
        .statusCode(202);
    // The app re-read the JWKS for the new key: the disabled key's tokens no longer verify.
    given().auth().oauth2(neverPresented).get("/api/v1/devices/" + device).then().statusCode(401);
    // Except one verified before the rotation: the cache of verified tokens keeps it until its
    // expiry (device-actions.auth.token-cache-size, README "Sign-in (OIDC)").
    given().auth().oauth2(before).get("/api/v1/devices/" + device).then().statusCode(200);
  }

  private static String enroll(String token) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "name",
                "keycloak-" + System.nanoTime(),
                "platform",
                "macOS",
                "osVersion",
                "14.2",
                "passcodeSet",
                true))
        .post("/api/v1/devices")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
