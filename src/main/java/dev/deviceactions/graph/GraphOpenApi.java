package dev.deviceactions.graph;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * The managedDevices routes are declared once, in {@link ManagedDevicesResource}, and served under
 * both versions; Quarkus documents the roles only of methods a resource declares itself, so this
 * build-time filter adds, from the same {@code @RolesAllowed}, the roles of the inherited ones.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class GraphOpenApi implements OASFilter {
  private static final List<String> BASES =
      List.of("/graph/v1.0/deviceManagement", "/graph/beta/deviceManagement");

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    for (Method method : ManagedDevicesResource.class.getDeclaredMethods()) {
      Path path = method.getAnnotation(Path.class);
      RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
      if (path == null || roles == null) {
        continue;
      }
      for (String base : BASES) {
        var item = openApi.getPaths().getPathItem(base + path.value());
        if (item != null) {
          item.getOperations().values().forEach(op -> secure(op, roles.value()));
        }
      }
    }
  }

  private static void secure(Operation operation, String[] roles) {
    if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
      operation.addSecurityRequirement(
          OASFactory.createSecurityRequirement().addScheme("SecurityScheme", List.of(roles)));
    }
  }
}
