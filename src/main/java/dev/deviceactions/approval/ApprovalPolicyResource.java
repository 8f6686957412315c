package dev.deviceactions.approval;

import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /api/v1/approval-policies}: create (201, in effect at once), list and read; a change or a
 * deletion answers 202 with the approval request that another administrator must approve.
 */
@Path("/api/v1/approval-policies")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalPolicyResource {
  private final PolicyService service;

  public ApprovalPolicyResource(PolicyService service) {
    this.service = service;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.APPROVALS_MANAGE)
  public Uni<RestResponse<ApprovalPolicy>> create(
      @Valid @NotNull NewPolicyRequest request, @Context SecurityContext sc) {
    return service
        .create(request, sc.getUserPrincipal().getName())
        .map(
            p ->
                RestResponse.ResponseBuilder.<ApprovalPolicy>created(
                        URI.create("/api/v1/approval-policies/" + p.id()))
                    .entity(p)
                    .build());
  }

  @GET
  @RolesAllowed(Roles.APPROVALS_READ)
  public Uni<List<ApprovalPolicy>> list() {
    return service.list();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.APPROVALS_READ)
  public Uni<ApprovalPolicy> get(@PathParam("id") String id) {
    return service.get(Params.uuid("id", id));
  }

  @PATCH
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.APPROVALS_MANAGE)
  public Uni<RestResponse<ApprovalAccepted>> change(
      @PathParam("id") String id,
      @Valid @NotNull PolicyChangeRequest change,
      @Context SecurityContext sc) {
    return service
        .requestChange(Params.uuid("id", id), change, sc.getUserPrincipal().getName())
        .map(ApprovalRequestResource::held);
  }

  /** The body, optional in form only, carries the justification: {@code {"justification"}}. */
  @DELETE
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.APPROVALS_MANAGE)
  public Uni<RestResponse<ApprovalAccepted>> delete(
      @PathParam("id") String id, @Valid Justification body, @Context SecurityContext sc) {
    return service
        .requestDelete(
            Params.uuid("id", id), sc.getUserPrincipal().getName(), Justification.of(body))
        .map(ApprovalRequestResource::held);
  }
}
