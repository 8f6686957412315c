package dev.deviceactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deviceactions.action.ActionCommand;
import dev.deviceactions.action.ActionService;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.approval.ApprovalGate;
import dev.deviceactions.approval.Gated;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.device.DeviceService;
import dev.deviceactions.device.Platform;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Graph's {@code deviceManagement/managedDevices}, the same in v1.0 and beta: list, get, and the
 * three actions Graph names, each mapped onto the admin API's services (rules, roles and audit).
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class ManagedDevicesResource {
  static final ODataQuery.Grammar LIST =
      new ODataQuery.Grammar(
          List.of(ODataFilter.OPTION, ODataQuery.TOP, ODataQuery.SELECT, ODataQuery.SKIPTOKEN),
          List.of("id", "deviceName", "serialNumber", "operatingSystem", "userPrincipalName"),
          List.of("deviceName"),
          ManagedDevice.PROPERTIES);
  static final ODataQuery.Grammar GET =
      new ODataQuery.Grammar(
          List.of(ODataQuery.SELECT), List.of(), List.of(), ManagedDevice.PROPERTIES);

  /** What a covered request made through Graph records as its justification. */
  static final String GRAPH_JUSTIFICATION = "requested through Microsoft Graph";

  protected final DeviceService devices;
  protected final ActionService actions;
  protected final ApprovalGate gate;
  private final ObjectMapper json;

  protected ManagedDevicesResource(
      DeviceService devices, ActionService actions, ApprovalGate gate, ObjectMapper json) {
    this.devices = devices;
    this.actions = actions;
    this.gate = gate;
    this.json = json;
  }

  @GET
  @Path("/managedDevices")
  @RolesAllowed(Roles.DEVICES_READ)
  public Uni<GraphPage<JsonNode>> list(@Context UriInfo uri, @Context SecurityContext sc) {
    ODataQuery query = ODataQuery.parse(uri.getQueryParameters(), LIST);
    return devices
        .details(filter(query), query.skiptoken(), query.top(), revealTo(query, sc))
        .map(
            page ->
                new GraphPage<>(
                    GraphLinks.context(uri, "managedDevices"),
                    page.items().stream().map(d -> selected(ManagedDevice.of(d), query)).toList(),
                    GraphLinks.next(uri, query, page.nextCursor())));
  }

  @GET
  @Path("/managedDevices/{id}")
  @RolesAllowed(Roles.DEVICES_READ)
  public Uni<JsonNode> get(
      @PathParam("id") String id, @Context UriInfo uri, @Context SecurityContext sc) {
    ODataQuery query = ODataQuery.parse(uri.getQueryParameters(), GET);
    return devices
        .detail(Params.uuid("id", id), revealTo(query, sc))
        .map(d -> selected(ManagedDevice.of(d), query));
  }

  @POST
  @Path("/managedDevices/{id}/remoteLock")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed("actions.remoteLock")
  @APIResponse(responseCode = "204", description = "Accepted: the action waits for the device")
  @APIResponse(
      responseCode = "202",
      description = "An approval policy covers it: held for approval")
  public Uni<RestResponse<Object>> remoteLock(
      @PathParam("id") String id,
      @HeaderParam(ActionCommand.IDEMPOTENCY_KEY) String key,
      @Context SecurityContext sc) {
    return request(id, ActionType.remoteLock, key, sc);
  }

  @POST
  @Path("/managedDevices/{id}/resetPasscode")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed("actions.resetPasscode")
  @APIResponse(responseCode = "204", description = "Accepted: the action waits for the device")
  @APIResponse(
      responseCode = "202",
      description = "An approval policy covers it: held for approval")
  public Uni<RestResponse<Object>> resetPasscode(
      @PathParam("id") String id,
      @HeaderParam(ActionCommand.IDEMPOTENCY_KEY) String key,
      @Context SecurityContext sc) {
    return request(id, ActionType.resetPasscode, key, sc);
  }

  @POST
  @Path("/managedDevices/{id}/rebootNow")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed("actions.rebootNow")
  @APIResponse(responseCode = "204", description = "Accepted: the action waits for the device")
  @APIResponse(
      responseCode = "202",
      description = "An approval policy covers it: held for approval")
  public Uni<RestResponse<Object>> rebootNow(
      @PathParam("id") String id,
      @HeaderParam(ActionCommand.IDEMPOTENCY_KEY) String key,
      @Context SecurityContext sc) {
    return request(id, ActionType.rebootNow, key, sc);
  }

  /**
   * Graph answers its actions with 204 and no body; the action is the admin API's. One that an
   * approval policy covers answers 202 with the operationApprovalRequest.
   */
  private Uni<RestResponse<Object>> request(
      String id, ActionType action, String key, SecurityContext sc) {
    ActionCommand command =
        new ActionCommand(
            Params.uuid("id", id),
            action,
            null,
            null,
            ActionCommand.idempotencyKey(key),
            sc.getUserPrincipal().getName());
    return gate.single(command, GRAPH_JUSTIFICATION).map(ManagedDevicesResource::answer);
  }

  /** 204 for an action accepted, 202 with the operationApprovalRequest for one held. */
  static RestResponse<Object> answer(Gated<?> gated) {
    if (!gated.isHeld()) {
      return RestResponse.noContent();
    }
    return RestResponse.ResponseBuilder.accepted()
        .location(
            URI.create(
                "/graph/beta/deviceManagement/operationApprovalRequests/" + gated.held().id()))
        .entity(OperationApprovalRequest.of(gated.held()))
        .build();
  }

  private static DeviceRepository.Filter filter(ODataQuery query) {
    String os = query.equal("operatingSystem");
    Platform platform = os == null ? null : ManagedDevice.platform(os);
    if (os != null && platform == null) {
      throw ODataFilter.invalid(
          "operatingSystem is one of "
              + String.join(", ", ManagedDevice.OPERATING_SYSTEMS.values()));
    }
    String id = query.equal("id");
    return new DeviceRepository.Filter(
        platform,
        null,
        id == null ? null : Params.uuid(ODataFilter.OPTION, id),
        query.equal("deviceName"),
        query.startsWith("deviceName"),
        query.equal("serialNumber"),
        query.equal("userPrincipalName"));
  }

  /** Secrets are revealed (and audited) only to a caller who may read them and asked for them. */
  private static String revealTo(ODataQuery query, SecurityContext sc) {
    Set<String> select = query.select();
    boolean shown = select == null || select.contains(ManagedDevice.ACTION_RESULTS);
    return shown && sc.isUserInRole(Roles.SECRETS_READ) ? sc.getUserPrincipal().getName() : null;
  }

  private JsonNode selected(ManagedDevice device, ODataQuery query) {
    ObjectNode node = json.valueToTree(device);
    return query.select() == null ? node : node.retain(query.select());
  }
}
