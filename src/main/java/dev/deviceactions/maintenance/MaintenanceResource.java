package dev.deviceactions.maintenance;

import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code POST /api/v1/maintenance/sweep}: one sweep now, for serverless scheduled triggers. */
@Path("/api/v1/maintenance/sweep")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceResource {
  private final SweepService service;

  public MaintenanceResource(SweepService service) {
    this.service = service;
  }

  @POST
  @RolesAllowed(Roles.MAINTENANCE_RUN)
  public Uni<SweepResult> sweep(@Context SecurityContext sc) {
    return service.sweep(sc.getUserPrincipal().getName());
  }
}
