package dev.deviceactions.events;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /api/v1/event-deliveries} (role admin): events not delivered to every sink yet, newest
 * first ({@code ?state=failed} for those given up on), and their replay.
 */
@Path("/api/v1/event-deliveries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class EventDeliveryResource {
  private final EventDeliveryService service;

  public EventDeliveryResource(EventDeliveryService service) {
    this.service = service;
  }

  @GET
  public Uni<Page<EventDeliveryView>> list(
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    DeliveryState filter = Params.optionalEnum("state", state, DeliveryState.class);
    return service.list(
        filter == null ? DeliveryState.failed : filter, Cursor.decode(cursor), Params.limit(limit));
  }

  /** Sends a failed event again, with its ce-id. */
  @POST
  @Path("/{id}/replay")
  public Uni<EventDeliveryView> replay(@PathParam("id") String id) {
    return service.replay(Params.uuid("id", id));
  }

  /** Sends every failed event again. */
  @POST
  @Path("/replay")
  public Uni<ReplayView> replayFailed() {
    return service.replayFailed();
  }
}
