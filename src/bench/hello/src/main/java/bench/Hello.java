package bench;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The bare baseline: one REST endpoint, nothing else. */
@Path("/hello")
public class Hello {
  @GET
  public String hello() {
    return "hello";
  }
}
