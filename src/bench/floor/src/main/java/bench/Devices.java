package bench;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * The floor's one endpoint, as the app's device list: a token with a role, a SQL read on the reactive
 * pool, JSON out.
 */
@Path("/devices")
public class Devices {
  record Item(UUID id, String name) {}

  record Page(List<Item> value) {}

  private final Pool database;

  Devices(Pool database) {
    this.database = database;
  }

  @GET
  @RolesAllowed("devices.read")
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Page> list(@QueryParam("top") Integer top) {
    return database
        .preparedQuery("select id, name from device order by id limit $1")
        .execute(Tuple.of(top == null ? 50 : top))
        .map(rows -> new Page(StreamSupport.stream(rows.spliterator(), false)
            .map(row -> new Item(row.getUUID("id"), row.getString("name")))
            .toList()));
  }
}
