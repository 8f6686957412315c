package dev.deviceactions.action;

import dev.deviceactions.common.Params;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/** One endpoint per remote action: {@code POST /api/v1/devices/{id}/<action>}, 202 Accepted. */
@Path("/api/v1/devices/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ActionResource {
  static final String IDEMPOTENCY_KEY = ActionCommand.IDEMPOTENCY_KEY;

  private final ActionService service;

  public ActionResource(ActionService service) {
    this.service = service;
  }

  @POST
  @Path("/remoteLock")
  @RolesAllowed("actions.remoteLock")
  public Uni<RestResponse<ActionView>> remoteLock(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Valid RemoteLockRequest body,
      @Context SecurityContext sc) {
    RemoteLockRequest lock = body == null ? new RemoteLockRequest(null, null) : body;
    return accept(id, ActionType.remoteLock, lock.message(), lock.phoneNumber(), key, sc);
  }

  @POST
  @Path("/resetPasscode")
  @RolesAllowed("actions.resetPasscode")
  public Uni<RestResponse<ActionView>> resetPasscode(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Context SecurityContext sc) {
    return accept(id, ActionType.resetPasscode, null, null, key, sc);
  }

  @POST
  @Path("/removePasscode")
  @RolesAllowed("actions.removePasscode")
  public Uni<RestResponse<ActionView>> removePasscode(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Context SecurityContext sc) {
    return accept(id, ActionType.removePasscode, null, null, key, sc);
  }

  @POST
  @Path("/resetPin")
  @RolesAllowed("actions.resetPin")
  public Uni<RestResponse<ActionView>> resetPin(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Context SecurityContext sc) {
    return accept(id, ActionType.resetPin, null, null, key, sc);
  }

  @POST
  @Path("/rebootNow")
  @RolesAllowed("actions.rebootNow")
  public Uni<RestResponse<ActionView>> rebootNow(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Context SecurityContext sc) {
    return accept(id, ActionType.rebootNow, null, null, key, sc);
  }

  private Uni<RestResponse<ActionView>> accept(
      String id, ActionType action, String message, String phone, String key, SecurityContext sc) {
    ActionCommand command =
        new ActionCommand(
            Params.uuid("id", id),
            action,
            message,
            phone,
            ActionCommand.idempotencyKey(key),
            sc.getUserPrincipal().getName());
    return service.request(command).map(ActionResource::accepted);
  }

  static RestResponse<ActionView> accepted(ActionView view) {
    return RestResponse.ResponseBuilder.<ActionView>accepted()
        .location(URI.create("/api/v1/device-actions/" + view.id()))
        .entity(view)
        .build();
  }
}
