package dev.deviceactions.approval;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code /api/v1/approval-requests}: list, read, approve, reject and cancel. */
@Path("/api/v1/approval-requests")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalRequestResource {
  private final ApprovalService service;

  public ApprovalRequestResource(ApprovalService service) {
    this.service = service;
  }

  @GET
  @RolesAllowed(Roles.APPROVALS_READ)
  public Uni<Page<ApprovalView>> list(
      @QueryParam("status") String status,
      @QueryParam("requestedBy") String requestedBy,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.list(
        Params.optionalEnum("status", status, ApprovalStatus.class),
        requestedBy == null || requestedBy.isEmpty() ? null : requestedBy,
        Cursor.decode(cursor),
        Params.limit(limit));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.APPROVALS_READ)
  public Uni<ApprovalView> get(@PathParam("id") String id) {
    return service.get(Params.uuid("id", id));
  }

  /** Approves, and runs the operation at once; 200 with the request, now completed. */
  @POST
  @Path("/{id}/approve")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.APPROVALS_APPROVE)
  public Uni<ApprovalView> approve(
      @PathParam("id") String id, @Valid DecisionRequest body, @Context SecurityContext sc) {
    return service.approve(Params.uuid("id", id), actor(sc), why(body));
  }

  @POST
  @Path("/{id}/reject")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.APPROVALS_APPROVE)
  public Uni<ApprovalView> reject(
      @PathParam("id") String id, @Valid DecisionRequest body, @Context SecurityContext sc) {
    return service.reject(Params.uuid("id", id), actor(sc), why(body));
  }

  /** Only the requester may cancel, whatever their roles. */
  @POST
  @Path("/{id}/cancel")
  @Authenticated
  public Uni<ApprovalView> cancel(@PathParam("id") String id, @Context SecurityContext sc) {
    return service.cancel(Params.uuid("id", id), actor(sc));
  }

  /**
   * The 202 of a request held for approval: {@code {"approvalRequest": {...}}} and its Location; a
   * surface whose request may also run at once (the remote actions) answers with its own type.
   */
  public static <T> RestResponse<T> held(ApprovalView request, Class<T> as) {
    return RestResponse.ResponseBuilder.<T>accepted()
        .location(URI.create("/api/v1/approval-requests/" + request.id()))
        .entity(as.cast(new ApprovalAccepted(request)))
        .build();
  }

  static RestResponse<ApprovalAccepted> held(ApprovalView request) {
    return held(request, ApprovalAccepted.class);
  }

  private static String actor(SecurityContext sc) {
    return sc.getUserPrincipal().getName();
  }

  private static String why(DecisionRequest body) {
    return body == null ? null : body.justification();
  }
}
