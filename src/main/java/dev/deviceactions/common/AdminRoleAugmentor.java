package dev.deviceactions.common;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The roles of a bearer token: the role names in the configured role claims ({@code
 * device-actions.auth.role-claims}: {@code groups}, Entra ID's {@code roles}, Keycloak's {@code
 * realm_access.roles} and {@code resource_access.<client>.roles}), every role of the API for an
 * {@code admin}, and for Microsoft Graph permission names (app roles in {@code roles}, delegated
 * scopes in the space-separated {@code scp}) the roles those names stand for, so that endpoints
 * name only the role they need.
 */
@ApplicationScoped
public class AdminRoleAugmentor implements SecurityIdentityAugmentor {
  /**
   * An identity's attribute that says its roles are all there already (a cached token's, resolved
   * by {@link #roles} when the token was verified): the augmentor leaves it as it is.
   */
  static final String ROLES_RESOLVED = AdminRoleAugmentor.class.getName() + ".resolved";

  private final List<List<String>> roleClaims;

  AdminRoleAugmentor(DeviceActionsConfig config) {
    this.roleClaims = config.auth().roleClaims().stream().map(AdminRoleAugmentor::path).toList();
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || identity.getAttribute(ROLES_RESOLVED) != null) {
      return Uni.createFrom().item(identity);
    }
    Set<String> roles = roles(identity);
    roles.removeAll(identity.getRoles());
    if (roles.isEmpty()) {
      return Uni.createFrom().item(identity);
    }
    return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
  }

  /**
   * Every role of an identity: its own, those its token's role claims and Graph permissions name,
   * and for an {@code admin} every role of the API.
   */
  Set<String> roles(SecurityIdentity identity) {
    Set<String> roles = new HashSet<>(identity.getRoles());
    if (identity.getPrincipal() instanceof JsonWebToken token) {
      Function<String, Object> claims = presentClaims(token);
      roleClaims.forEach(path -> roles.addAll(roleNames(claims, path)));
      graphPermissions(claims)
          .forEach(p -> roles.addAll(Roles.IMPLIED_BY_GRAPH_PERMISSION.getOrDefault(p, Set.of())));
    }
    if (roles.contains(Roles.ADMIN)) {
      roles.addAll(Roles.IMPLIED_BY_ADMIN);
    }
    return roles;
  }

  /**
   * The token's top-level claims by name, null for one it lacks, each read at most once. Only the
   * claims it has are asked of it: smallrye-jwt's {@code getClaim} looks every name up among
   * MicroProfile's standard claims with {@code Claims.valueOf}, which throws (and catches) an
   * exception for any other name, such as {@code roles}, {@code scp} or {@code realm_access}: four
   * stack traces filled for nothing on every request, before this (README, "Role claims without
   * exceptions").
   */
  static Function<String, Object> presentClaims(JsonWebToken token) {
    Set<String> present = token.getClaimNames();
    Map<String, Object> read = new HashMap<>();
    return name -> present.contains(name) ? read.computeIfAbsent(name, token::getClaim) : null;
  }

  /** The role names at a claim path: an array of names, or one name; none if the path is absent. */
  static Set<String> roleNames(Function<String, Object> claims, List<String> path) {
    Object value = claims.apply(path.getFirst());
    for (String name : path.subList(1, path.size())) {
      value =
          switch (value) {
            case JsonObject object -> object.get(name);
            case Map<?, ?> map -> map.get(name);
            case null, default -> null;
          };
    }
    Set<String> names = new HashSet<>();
    switch (value) {
      case JsonArray array -> array.forEach(v -> addName(names, v));
      case Collection<?> values -> values.forEach(v -> addName(names, v));
      case null -> {}
      default -> addName(names, value);
    }
    return names;
  }

  private static void addName(Set<String> names, Object value) {
    if (value instanceof JsonString || value instanceof String) {
      String name = text(value).trim();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
  }

  /**
   * A role claim setting as the names along its path: dots separate them, and a name in double
   * quotes keeps its dots ({@code "https://example.com/roles"}).
   */
  static List<String> path(String setting) {
    List<String> names = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    boolean quoted = false;
    for (char c : setting.trim().toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        names.add(name.toString());
        name.setLength(0);
      } else {
        name.append(c);
      }
    }
    names.add(name.toString());
    if (quoted || names.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "device-actions.auth.role-claims: \"" + setting + "\" is not a claim path");
    }
    return List.copyOf(names);
  }

  private static Stream<String> graphPermissions(Function<String, Object> claims) {
    Stream<String> roles =
        claims.apply("roles") instanceof Collection<?> values
            ? values.stream().map(AdminRoleAugmentor::text)
            : Stream.empty();
    Object scp = claims.apply("scp");
    String scopes = scp == null ? "" : text(scp);
    return Stream.concat(roles, Arrays.stream(scopes.trim().split("\\s+")));
  }

  /** A claim value as text: the JSON-P string a JWT claim comes as, or a plain one. */
  private static String text(Object value) {
    return value instanceof JsonString s ? s.getString() : String.valueOf(value);
  }
}
