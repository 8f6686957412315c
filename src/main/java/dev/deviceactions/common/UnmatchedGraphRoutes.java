package dev.deviceactions.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A {@code /graph} path that no endpoint serves (another Graph version, another entity set) is a
 * 404 in Graph's error shape, not Vert.x's plain-text page, so a Graph SDK reads it as an
 * ODataError.
 */
@ApplicationScoped
public class UnmatchedGraphRoutes {
  private final ObjectMapper json;

  public UnmatchedGraphRoutes(ObjectMapper json) {
    this.json = json;
  }

  // Last of all routes: JAX-RS passes on only what none of its endpoints matched.
  void install(@Observes Router router) {
    router.route(ProblemMapper.GRAPH_PATH + "*").order(Integer.MAX_VALUE).handler(this::notFound);
  }

  void notFound(RoutingContext context) {
    ProblemMapper.answer(
        context,
        Problem.of(ProblemCode.notFound, "Graph has no such resource here.", null, null),
        json);
  }
}
