package dev.deviceactions.audit;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.Params;
import dev.deviceactions.common.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/audit-events}: the audit trail, newest first. */
@Path("/api/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  private final AuditRepository repository;

  public AuditResource(AuditRepository repository) {
    this.repository = repository;
  }

  @GET
  @RolesAllowed(Roles.AUDIT_READ)
  public Uni<Page<AuditEventView>> list(
      @QueryParam("actor") String actor,
      @QueryParam("deviceId") String deviceId,
      @QueryParam("activity") String activity,
      @QueryParam("since") String since,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    int size = Params.limit(limit);
    return repository
        .list(
            actor,
            Params.optionalUuid("deviceId", deviceId),
            activity,
            Params.optionalInstant("since", since),
            Cursor.decode(cursor),
            size + 1)
        .map(rows -> Page.of(rows, size, e -> new Cursor(e.at, e.id), AuditEventView::of));
  }
}
