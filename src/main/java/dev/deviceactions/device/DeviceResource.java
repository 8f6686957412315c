package dev.deviceactions.device;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** {@code /api/v1/devices}: enroll, list, overview, remove. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {
  private final DeviceService service;

  public DeviceResource(DeviceService service) {
    this.service = service;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.DEVICES_WRITE)
  public Uni<RestResponse<DeviceView>> enroll(
      @Valid @NotNull EnrollDeviceRequest request, @Context SecurityContext sc) {
    return service
        .enroll(request, sc.getUserPrincipal().getName())
        .map(
            d ->
                RestResponse.ResponseBuilder.<DeviceView>created(
                        URI.create("/api/v1/devices/" + d.id()))
                    .entity(d)
                    .build());
  }

  @GET
  @RolesAllowed(Roles.DEVICES_READ)
  public Uni<Page<DeviceView>> list(
      @QueryParam("platform") String platform,
      @QueryParam("q") String q,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.list(
        DeviceRepository.Filter.search(
            Params.optionalEnum("platform", platform, Platform.class), q),
        Cursor.decode(cursor),
        Params.limit(limit));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(Roles.DEVICES_READ)
  public Uni<DeviceView> overview(@PathParam("id") String id) {
    return service.overview(Params.uuid("id", id));
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.DEVICES_WRITE)
  public Uni<RestResponse<Void>> remove(@PathParam("id") String id, @Context SecurityContext sc) {
    return service
        .remove(Params.uuid("id", id), sc.getUserPrincipal().getName())
        .map(v -> RestResponse.noContent());
  }
}
