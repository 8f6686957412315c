package dev.deviceactions.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A body declared larger than its limit (64 KiB, 1 MiB for bulk and Graph's executeAction) is
 * refused with a 413 problem+json before anything reads it. This route runs ahead of Quarkus' own
 * cap (quarkus.http.limits.max-body-size), which answers an empty 413. A body sent without a length
 * (chunked) is read and judged by its content, up to that cap.
 */
@ApplicationScoped
public class BodyLimits {
  static final long SINGLE_LIMIT = 64 * 1024;
  static final long BULK_LIMIT = 1024 * 1024;

  private final ObjectMapper json;

  public BodyLimits(ObjectMapper json) {
    this.json = json;
  }

  void install(@Observes Router router) {
    router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
  }

  void check(RoutingContext context) {
    String path = context.normalizedPath();
    boolean bulk = path.endsWith("/bulk") || path.endsWith("/managedDevices/executeAction");
    long limit = bulk ? BULK_LIMIT : SINGLE_LIMIT;
    String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null || !length.matches("\\d{1,18}") || Long.parseLong(length) <= limit) {
      context.next();
      return;
    }
    String detail = "The body is larger than " + limit / 1024 + " KiB.";
    // The body stays unread, so this connection cannot carry another request: close it.
    context
        .response()
        .putHeader(HttpHeaders.CONNECTION, "close")
        .endHandler(done -> context.request().connection().close());
    ProblemMapper.answer(
        context, Problem.of(ProblemCode.payloadTooLarge, detail, null, null), json);
  }
}
