package dev.deviceactions.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends {@code /console} to {@code /console/}, where the static admin console is served: outside
 * dev mode the static handler answers the address without the slash with 404.
 */
@ApplicationScoped
public class ConsoleRoutes {

  void addRedirect(@Observes Router router) {
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
