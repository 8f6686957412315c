package dev.deviceactions.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.deviceactions.support.Api;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * The default role claims (device-actions.auth.role-claims) with tokens of the test key: roles in
 * Keycloak's {@code realm_access.roles} and {@code resource_access.device-actions.roles}, Entra
 * ID's {@code roles}, a claim that holds one name, and {@code admin} from any of them.
 */
@QuarkusTest
class RoleClaimsTest {
  @Inject AdminRoleAugmentor augmentor;

  private static RequestSpecification as(Map<String, Object> claims) {
    var token = Jwt.upn("carol@example.com").issuer(Api.ISSUER);
    claims.forEach(token::claim);
    return given().auth().oauth2(token.sign(Api.signingKey()));
  }

  @Test
  void keycloakRealmAndClientRoles() {
    var device = Api.mac();
    Map<String, Object> claims =
        Map.of(
            "realm_access", Map.of("roles", List.of("actions.remoteLock", "offline_access")),
            "resource_access",
                Map.of(
                    "device-actions", Map.of("roles", List.of("devices.read")),
                    "another-client", Map.of("roles", List.of("actions.rebootNow"))));
    as(claims).get("/api/v1/devices/" + device.id()).then().statusCode(200);
    as(claims).post("/api/v1/devices/" + device.id() + "/remoteLock").then().statusCode(202);
    // Only the client named in the setting counts.
    as(claims).post("/api/v1/devices/" + device.id() + "/rebootNow").then().statusCode(403);
    as(claims).get("/api/v1/audit-events").then().statusCode(403);
  }

  @Test
  void entraAppRolesAndOneNameClaims() {
    var device = Api.mac();
    as(Map.of("roles", List.of("devices.read"))).get("/api/v1/devices").then().statusCode(200);
    as(Map.of("roles", List.of("devices.read")))
        .post("/api/v1/devices/" + device.id() + "/remoteLock")
        .then()
        .statusCode(403);
    as(Map.of("realm_access", Map.of("roles", "devices.read")))
        .get("/api/v1/devices/" + device.id())
        .then()
        .statusCode(200);
  }

  @Test
  void adminFromARoleClaimImpliesEveryRole() {
    Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("admin")));
    as(claims).get("/api/v1/audit-events").then().statusCode(200);
    as(claims)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "by-realm-admin", "platform", "macOS", "osVersion", "14.2"))
        .post("/api/v1/devices")
        .then()
        .statusCode(201);
  }

  @Test
  void onlyTheClaimsATokenHasAreAskedForAndEachOnce() {
    List<String> asked = new ArrayList<>();
    var claims = AdminRoleAugmentor.presentClaims(reader(asked));
    assertEquals(Set.of("devices.read"), AdminRoleAugmentor.roleNames(claims, List.of("roles")));
    assertEquals(Set.of(), AdminRoleAugmentor.roleNames(claims, List.of("realm_access", "roles")));
    assertEquals(Set.of(), AdminRoleAugmentor.roleNames(claims, List.of("scp")));
    assertEquals(List.of("devices.read"), claims.apply("roles"));
    // smallrye-jwt throws and catches an exception for each non-standard name it is asked for.
    assertEquals(List.of("roles"), asked);
  }

  /**
   * A cached token's identity comes with every role resolved when the token was verified
   * (VerifiedTokenIdentityProvider): its claims are not read again on each request.
   */
  @Test
  void anIdentityWithItsRolesResolvedIsLeftAsItIs() {
    List<String> asked = new ArrayList<>();
    var resolved =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(reader(asked))
            .addRole("devices.read")
            .addAttribute(AdminRoleAugmentor.ROLES_RESOLVED, true)
            .build();
    assertSame(resolved, augmentor.augment(resolved, null).await().indefinitely());
    assertEquals(List.of(), asked);

    var verified = QuarkusSecurityIdentity.builder().setPrincipal(reader(asked)).build();
    assertEquals(
        Set.of("devices.read"),
        augmentor.augment(verified, null).await().indefinitely().getRoles());
    assertEquals(List.of("roles"), asked);
  }

  /** A token with {@code roles: ["devices.read"]} that records which claims it is asked for. */
  private static JsonWebToken reader(List<String> asked) {
    return new JsonWebToken() {
      @Override
      public String getName() {
        return "carol@example.com";
      }

      @Override
      public Set<String> getClaimNames() {
        return Set.of("upn", "roles");
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getClaim(String name) {
        asked.add(name);
        return name.equals("roles") ? (T) List.of("devices.read") : null;
      }
    };
  }

  @Test
  void claimPaths() {
    assertEquals(List.of("groups"), AdminRoleAugmentor.path("groups"));
    assertEquals(
        List.of("resource_access", "device-actions", "roles"),
        AdminRoleAugmentor.path("resource_access.device-actions.roles"));
    assertEquals(
        List.of("https://example.com/roles"),
        AdminRoleAugmentor.path("\"https://example.com/roles\""));
    assertEquals(List.of("app", "x.y", "roles"), AdminRoleAugmentor.path("app.\"x.y\".roles"));
    assertThrows(IllegalArgumentException.class, () -> AdminRoleAugmentor.path("a..b"));
    assertThrows(IllegalArgumentException.class, () -> AdminRoleAugmentor.path("\"open"));
  }
}
