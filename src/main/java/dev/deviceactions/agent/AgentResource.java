package dev.deviceactions.agent;

import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/** The device agent API; the caller is the device its token belongs to. */
@Path("/agent/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.DEVICE)
public class AgentResource {
  private final AgentService service;

  public AgentResource(AgentService service) {
    this.service = service;
  }

  @POST
  @Path("/checkin")
  public Uni<CheckinView> checkin(@Valid CheckinRequest facts, @Context SecurityContext sc) {
    return service.checkin(device(sc), facts);
  }

  @POST
  @Path("/actions/{actionId}/result")
  public Uni<RestResponse<Void>> result(
      @PathParam("actionId") String actionId,
      @Valid @NotNull ResultRequest result,
      @Context SecurityContext sc) {
    return service
        .result(device(sc), Params.uuid("actionId", actionId), result)
        .map(v -> RestResponse.noContent());
  }

  @POST
  @Path("/events")
  public Uni<RestResponse<Void>> event(
      @Valid @NotNull EventRequest event, @Context SecurityContext sc) {
    return service.event(device(sc), event).map(v -> RestResponse.noContent());
  }

  private static UUID device(SecurityContext sc) {
    return UUID.fromString(sc.getUserPrincipal().getName());
  }
}
