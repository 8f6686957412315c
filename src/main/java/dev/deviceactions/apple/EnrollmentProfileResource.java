package dev.deviceactions.apple;

import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** {@code POST /api/v1/devices/{id}/appleEnrollmentProfile}: the profile a Mac or iPhone opens. */
@Path("/api/v1/devices/{id}/appleEnrollmentProfile")
public class EnrollmentProfileResource {
  static final String PROFILE = "application/x-apple-aspen-config";

  private final EnrollmentProfiles profiles;

  public EnrollmentProfileResource(EnrollmentProfiles profiles) {
    this.profiles = profiles;
  }

  @POST
  @RolesAllowed(Roles.DEVICES_WRITE)
  public Uni<Response> issue(@PathParam("id") String id, @Context SecurityContext sc) {
    return profiles
        .issue(Params.uuid("id", id), sc.getUserPrincipal().getName())
        .map(
            p ->
                Response.ok(p.body(), PROFILE)
                    .header("Content-Disposition", "attachment; filename=\"" + p.fileName() + "\"")
                    .build());
  }
}
