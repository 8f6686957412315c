package dev.deviceactions.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.ActionService;
import dev.deviceactions.action.ActionState;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.approval.ApprovalGate;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import dev.deviceactions.device.DeviceService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /graph/beta/deviceManagement}: managedDevices as in v1.0, plus the Device actions report
 * ({@code remoteActionAudits}) and bulk actions ({@code managedDevices/executeAction}).
 */
@Path("/graph/beta/deviceManagement")
public class GraphBetaResource extends ManagedDevicesResource {
  static final ODataQuery.Grammar AUDITS =
      new ODataQuery.Grammar(
          List.of(ODataFilter.OPTION, ODataQuery.TOP, ODataQuery.SKIPTOKEN),
          List.of(
              RemoteActionAudit.MANAGED_DEVICE_ID,
              RemoteActionAudit.ACTION,
              RemoteActionAudit.ACTION_STATE),
          List.of(),
          List.of());

  public GraphBetaResource(
      DeviceService devices, ActionService actions, ApprovalGate gate, ObjectMapper json) {
    super(devices, actions, gate, json);
  }

  /** The status view, newest first, with each action's device named. */
  @GET
  @Path("/remoteActionAudits")
  @RolesAllowed(Roles.DEVICES_READ)
  public Uni<GraphPage<RemoteActionAudit>> remoteActionAudits(@Context UriInfo uri) {
    ODataQuery query = ODataQuery.parse(uri.getQueryParameters(), AUDITS);
    return actions
        .list(filter(query), query.skiptoken(), query.top())
        .chain(
            page ->
                devices
                    .labels(page.items().stream().map(ActionView::deviceId).toList())
                    .map(
                        labels ->
                            new GraphPage<>(
                                GraphLinks.context(uri, "remoteActionAudits"),
                                page.items().stream()
                                    .map(a -> RemoteActionAudit.of(a, labels.get(a.deviceId())))
                                    .toList(),
                                GraphLinks.next(uri, query, page.nextCursor()))));
  }

  /**
   * A bulk request: it needs the role of the action it names, which only the body says. One that an
   * approval policy covers answers 202 with the operationApprovalRequest.
   */
  @POST
  @Path("/managedDevices/executeAction")
  @Consumes(MediaType.APPLICATION_JSON)
  @Authenticated
  @APIResponse(responseCode = "200", description = "The bulk answer")
  @APIResponse(
      responseCode = "202",
      description = "An approval policy covers it: held for approval")
  public Uni<RestResponse<Object>> executeAction(
      @Valid @NotNull ExecuteActionRequest request, @Context SecurityContext sc) {
    Roles.require(sc, request.actionName().role());
    String why = request.justification() == null ? GRAPH_JUSTIFICATION : request.justification();
    return gate.bulk(request.bulk(), sc.getUserPrincipal().getName(), why)
        .map(g -> g.isHeld() ? answer(g) : RestResponse.ok(ExecuteActionResult.of(g.done())));
  }

  private static ActionRepository.Filter filter(ODataQuery query) {
    String device = query.equal(RemoteActionAudit.MANAGED_DEVICE_ID);
    return new ActionRepository.Filter(
        device == null ? null : Params.uuid(ODataFilter.OPTION, device),
        Params.optionalEnum(
            ODataFilter.OPTION, query.equal(RemoteActionAudit.ACTION), ActionType.class),
        Params.optionalEnum(
            ODataFilter.OPTION, query.equal(RemoteActionAudit.ACTION_STATE), ActionState.class),
        null,
        null,
        null,
        null);
  }
}
