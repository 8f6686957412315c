package dev.deviceactions.graph;

import dev.deviceactions.approval.ApprovalService;
import dev.deviceactions.approval.ApprovalStatus;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Graph beta's {@code deviceManagement/operationApprovalRequests}: list, get, approve, reject and
 * cancelMyRequest, mapped onto the admin API's approval requests (same rules, roles and audit).
 */
@Path("/graph/beta/deviceManagement/operationApprovalRequests")
@Produces(MediaType.APPLICATION_JSON)
public class OperationApprovalRequestsResource {
  static final String ENTITY_SET = "operationApprovalRequests";
  static final ODataQuery.Grammar LIST =
      new ODataQuery.Grammar(
          List.of(ODataFilter.OPTION, ODataQuery.TOP, ODataQuery.SKIPTOKEN),
          List.of("status"),
          List.of(),
          List.of());

  private final ApprovalService approvals;

  public OperationApprovalRequestsResource(ApprovalService approvals) {
    this.approvals = approvals;
  }

  /** Newest first; {@code $filter=status eq 'needsApproval'} as the status reads now. */
  @GET
  @RolesAllowed(Roles.APPROVALS_READ)
  public Uni<GraphPage<OperationApprovalRequest>> list(@Context UriInfo uri) {
    ODataQuery query = ODataQuery.parse(uri.getQueryParameters(), LIST);
    ApprovalStatus status =
        Params.optionalEnum(ODataFilter.OPTION, query.equal("status"), ApprovalStatus.class);
    return approvals
        .list(status, null, query.skiptoken(), query.top())
        .map(
            page ->
                new GraphPage<>(
                    GraphLinks.context(uri, ENTITY_SET),
                    page.items().stream().map(OperationApprovalRequest::of).toList(),
                    GraphLinks.next(uri, query, page.nextCursor())));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.APPROVALS_READ)
  public Uni<OperationApprovalRequest> get(@PathParam("id") String id) {
    return approvals.get(Params.uuid("id", id)).map(OperationApprovalRequest::of);
  }

  /** Approves and runs the operation; Graph's answer is a String: the request's status now. */
  @POST
  @Path("/{id}/approve")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.APPROVALS_APPROVE)
  public Uni<GraphValue> approve(
      @PathParam("id") String id,
      @Valid GraphDecision body,
      @Context UriInfo uri,
      @Context SecurityContext sc) {
    return approvals
        .approve(Params.uuid("id", id), sc.getUserPrincipal().getName(), GraphDecision.of(body))
        .map(r -> value(uri, r.status()));
  }

  @POST
  @Path("/{id}/reject")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.APPROVALS_APPROVE)
  public Uni<GraphValue> reject(
      @PathParam("id") String id,
      @Valid GraphDecision body,
      @Context UriInfo uri,
      @Context SecurityContext sc) {
    return approvals
        .reject(Params.uuid("id", id), sc.getUserPrincipal().getName(), GraphDecision.of(body))
        .map(r -> value(uri, r.status()));
  }

  /** Graph names the request in the body; only its requester may cancel it. */
  @POST
  @Path("/cancelMyRequest")
  @Consumes(MediaType.APPLICATION_JSON)
  @Authenticated
  @APIResponse(responseCode = "204", description = "Cancelled")
  public Uni<RestResponse<Void>> cancelMyRequest(
      @Valid @NotNull GraphCancel body, @Context SecurityContext sc) {
    return approvals
        .cancel(Params.uuid("id", body.id()), sc.getUserPrincipal().getName())
        .map(r -> RestResponse.noContent());
  }

  private static GraphValue value(UriInfo uri, ApprovalStatus status) {
    String path = uri.getAbsolutePath().toString();
    String base = path.substring(0, path.indexOf("/deviceManagement/"));
    return new GraphValue(base + "/$metadata#Edm.String", status.name());
  }
}
