package dev.deviceactions.secret;

import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code GET /api/v1/devices/{id}/secrets}: what the device overview displays, audited. */
@Path("/api/v1/devices/{id}/secrets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SECRETS_READ)
public class SecretResource {
  private final SecretService service;

  public SecretResource(SecretService service) {
    this.service = service;
  }

  @GET
  public Uni<DeviceSecretsView> forDevice(@PathParam("id") String id, @Context SecurityContext sc) {
    return service.forDevice(Params.uuid("id", id), sc.getUserPrincipal().getName());
  }
}
