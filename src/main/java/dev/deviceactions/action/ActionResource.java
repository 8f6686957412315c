package dev.deviceactions.action;

import dev.deviceactions.approval.ApprovalGate;
import dev.deviceactions.approval.ApprovalRequestResource;
import dev.deviceactions.approval.Gated;
import dev.deviceactions.approval.Justification;
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

/**
 * One endpoint per remote action: {@code POST /api/v1/devices/{id}/<action>}, 202 Accepted with the
 * action, or with the approval request when an approval policy covers it.
 */
@Path("/api/v1/devices/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ActionResource {
  static final String IDEMPOTENCY_KEY = ActionCommand.IDEMPOTENCY_KEY;

  private final ApprovalGate gate;

  public ActionResource(ApprovalGate gate) {
    this.gate = gate;
  }

  @POST
  @Path("/remoteLock")
  @RolesAllowed("actions.remoteLock")
  public Uni<RestResponse<Object>> remoteLock(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Valid RemoteLockRequest body,
      @Context SecurityContext sc) {
    RemoteLockRequest lock = body == null ? new RemoteLockRequest(null, null, null) : body;
    return accept(
        id,
        ActionType.remoteLock,
        lock.message(),
        lock.phoneNumber(),
        lock.justification(),
        key,
        sc);
  }

  @POST
  @Path("/resetPasscode")
  @RolesAllowed("actions.resetPasscode")
  public Uni<RestResponse<Object>> resetPasscode(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Valid Justification body,
      @Context SecurityContext sc) {
    return accept(id, ActionType.resetPasscode, null, null, Justification.of(body), key, sc);
  }

  @POST
  @Path("/removePasscode")
  @RolesAllowed("actions.removePasscode")
  public Uni<RestResponse<Object>> removePasscode(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Valid Justification body,
      @Context SecurityContext sc) {
    return accept(id, ActionType.removePasscode, null, null, Justification.of(body), key, sc);
  }

  @POST
  @Path("/resetPin")
  @RolesAllowed("actions.resetPin")
  public Uni<RestResponse<Object>> resetPin(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Valid Justification body,
      @Context SecurityContext sc) {
    return accept(id, ActionType.resetPin, null, null, Justification.of(body), key, sc);
  }

  @POST
  @Path("/rebootNow")
  @RolesAllowed("actions.rebootNow")
  public Uni<RestResponse<Object>> rebootNow(
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      @Valid Justification body,
      @Context SecurityContext sc) {
    return accept(id, ActionType.rebootNow, null, null, Justification.of(body), key, sc);
  }

  private Uni<RestResponse<Object>> accept(
      String id,
      ActionType action,
      String message,
      String phone,
      String justification,
      String key,
      SecurityContext sc) {
    ActionCommand command =
        new ActionCommand(
            Params.uuid("id", id),
            action,
            message,
            phone,
            ActionCommand.idempotencyKey(key),
            sc.getUserPrincipal().getName());
    return gate.single(command, justification).map(ActionResource::accepted);
  }

  static RestResponse<Object> accepted(Gated<ActionView> gated) {
    if (gated.isHeld()) {
      return ApprovalRequestResource.held(gated.held(), Object.class);
    }
    return RestResponse.ResponseBuilder.accepted()
        .location(URI.create("/api/v1/device-actions/" + gated.done().id()))
        .entity(gated.done())
        .build();
  }
}
