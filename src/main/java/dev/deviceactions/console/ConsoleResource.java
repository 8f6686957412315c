package dev.deviceactions.console;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /console/settings}: how the console signs in; open, like the console's files. */
@Path("/console/settings")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {
  private final ConsoleSignIn signIn;

  public ConsoleResource(ConsoleSignIn signIn) {
    this.signIn = signIn;
  }

  @GET
  @PermitAll
  public ConsoleSettings settings() {
    return signIn.settings();
  }
}
