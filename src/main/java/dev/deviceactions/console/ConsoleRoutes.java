package dev.deviceactions.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The console's routes: {@code /console} sends to {@code /console/}, where the static admin console
 * is served (outside dev mode the static handler answers the address without the slash with 404),
 * and every answer under {@code /console} carries the console's Content-Security-Policy.
 */
@ApplicationScoped
public class ConsoleRoutes {
  private final ConsoleSignIn signIn;

  public ConsoleRoutes(ConsoleSignIn signIn) {
    this.signIn = signIn;
  }

  void addRoutes(@Observes Router router) {
    String policy = signIn.contentSecurityPolicy();
    router
        .routeWithRegex("/console(/.*)?")
        .order(-1)
        .handler(
            rc -> {
              rc.response().putHeader("Content-Security-Policy", policy);
              rc.next();
            });
    router
        .get("/console")
        .handler(
            rc -> {
              // Vert.x matches this route with and without the trailing slash; only one redirects.
              if (rc.normalizedPath().equals("/console")) {
                rc.response().setStatusCode(301).putHeader("Location", "/console/").end();
              } else {
                rc.next();
              }
            });
  }
}
