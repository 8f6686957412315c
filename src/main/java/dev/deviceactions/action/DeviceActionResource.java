package dev.deviceactions.action;

import dev.deviceactions.approval.ApprovalGate;
import dev.deviceactions.approval.ApprovalRequestResource;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import dev.deviceactions.secret.SecretService;
import dev.deviceactions.secret.SecretView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code /api/v1/device-actions}: the Device actions status view, cancel, and bulk. */
@Path("/api/v1/device-actions")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceActionResource {
  private final ActionService service;
  private final SecretService secrets;
  private final ApprovalGate gate;

  public DeviceActionResource(ActionService service, SecretService secrets, ApprovalGate gate) {
    this.service = service;
    this.secrets = secrets;
    this.gate = gate;
  }

  @GET
  @RolesAllowed(Roles.DEVICES_READ)
  public Uni<Page<ActionView>> list(
      @QueryParam("deviceId") String deviceId,
      @QueryParam("action") String action,
      @QueryParam("state") String state,
      @QueryParam("initiatedBy") String initiatedBy,
      @QueryParam("bulkActionId") String bulkActionId,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    ActionRepository.Filter filter =
        new ActionRepository.Filter(
            Params.optionalUuid("deviceId", deviceId),
            Params.optionalEnum("action", action, ActionType.class),
            Params.optionalEnum("state", state, ActionState.class),
            initiatedBy == null || initiatedBy.isEmpty() ? null : initiatedBy,
            Params.optionalUuid("bulkActionId", bulkActionId),
            Params.optionalInstant("since", since),
            Params.optionalInstant("until", until));
    return service.list(filter, Cursor.decode(cursor), Params.limit(limit));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.DEVICES_READ)
  public Uni<ActionView> get(@PathParam("id") String id) {
    return service.get(Params.uuid("id", id));
  }

  /** The PIN or passcode this action produced, until it is purged; audited. */
  @GET
  @Path("/{id}/secret")
  @RolesAllowed(Roles.SECRETS_READ)
  public Uni<SecretView> secret(@PathParam("id") String id, @Context SecurityContext sc) {
    return secrets.forAction(Params.uuid("id", id), sc.getUserPrincipal().getName());
  }

  @POST
  @Path("/{id}/cancel")
  @RolesAllowed(Roles.ACTIONS_CANCEL)
  public Uni<ActionView> cancel(@PathParam("id") String id, @Context SecurityContext sc) {
    return service.cancel(Params.uuid("id", id), sc.getUserPrincipal().getName());
  }

  /**
   * Bulk needs the role of the action it sends, which only the body names. 200 with the bulk
   * answer, or 202 with the approval request when an approval policy covers it.
   */
  @POST
  @Path("/bulk")
  @Consumes(MediaType.APPLICATION_JSON)
  @Authenticated
  public Uni<RestResponse<Object>> bulk(
      @Valid @NotNull BulkRequest request, @Context SecurityContext sc) {
    Roles.require(sc, request.action().role());
    return gate.bulk(request, sc.getUserPrincipal().getName(), request.justification())
        .map(
            g ->
                g.isHeld()
                    ? ApprovalRequestResource.held(g.held(), Object.class)
                    : RestResponse.ok(g.done()));
  }
}
