package dev.deviceactions.devstack;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;

/**
 * Dev mode only: mints a token signed with the dev key in src/dev, so a newcomer can call the API
 * in one step. Neither this class nor the key is in a production (-Dprod) build.
 */
@Path("/dev/token")
@IfBuildProfile("dev")
public class DevTokenResource {

  @GET
  @PermitAll
  @Produces(MediaType.TEXT_PLAIN)
  public String token(
      @QueryParam("upn") @DefaultValue("admin@example.com") String upn,
      @QueryParam("groups") @DefaultValue("admin") String groups) {
    return Jwt.upn(upn).groups(Set.of(groups.split(","))).sign();
  }
}
