package dev.deviceactions.agent;

import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

/** The device agent API; the caller is the device its token belongs to. */
@Path("/agent/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.DEVICE)
public class AgentResource {
  private final AgentService service;
  private final WaitingCheckinService waiting;

  public AgentResource(AgentService service, WaitingCheckinService waiting) {
    this.service = service;
    this.waiting = waiting;
  }

  /**
   * With {@code Prefer: wait=N}, held until a command is requested or N seconds pass. A client that
   * hangs up cancels it (@Cancellable), which frees its waiter; the service lets a transaction
   * already begun run to its end.
   */
  @POST
  @Path("/checkin")
  @Cancellable
  public Uni<RestResponse<CheckinView>> checkin(
      @Valid CheckinRequest facts,
      @HeaderParam(Prefer.HEADER) String prefer,
      @Context SecurityContext sc) {
    return waiting.checkin(device(sc), facts, Prefer.waitOf(prefer)).map(AgentResource::answer);
  }

  private static RestResponse<CheckinView> answer(WaitingCheckinService.Answer answer) {
    return answer
        .applied()
        .map(
            applied ->
                RestResponse.ResponseBuilder.ok(answer.view())
                    .header(Prefer.APPLIED, Prefer.applied(applied))
                    .build())
        .orElseGet(() -> RestResponse.ok(answer.view()));
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
