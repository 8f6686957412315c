package dev.deviceactions.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than its limit (64 KiB, 1 MiB for bulk and Graph's executeAction) is
 * refused with a 413 problem+json before anything reads it. This route runs ahead of Quarkus' own
 * cap (quarkus.http.limits.max-body-size), which answers an empty 413. A body sent without a length
 * (chunked) is read and judged by its content, up to that cap.
 *
 * <p>A client that sent {@code Expect: 100-continue} gets the answer at once and sends nothing. One
 * that is already sending gets it after its body, up to that cap, has been read and dropped: a
 * connection closed on unread data is reset, and the reset can take the answer with it before the
 * client reads it. A body declared over the cap is answered at once and its connection closed.
 */
@ApplicationScoped
public class BodyLimits {
  static final long SINGLE_LIMIT = 64 * 1024;
  static final long BULK_LIMIT = 1024 * 1024;

  private final ObjectMapper json;
  private final long drainLimit;

  public BodyLimits(
      ObjectMapper json,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize drainLimit) {
    this.json = json;
    this.drainLimit = drainLimit.asLongValue();
  }

  void install(@Observes Router router) {
    router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
  }

  void check(RoutingContext context) {
    String path = context.normalizedPath();
    boolean bulk = path.endsWith("/bulk") || path.endsWith("/managedDevices/executeAction");
    long limit = bulk ? BULK_LIMIT : SINGLE_LIMIT;
    HttpServerRequest request = context.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : -1;
    if (declared <= limit) {
      context.next();
      return;
    }
    Problem tooLarge =
        Problem.of(
            ProblemCode.payloadTooLarge,
            "The body is larger than " + limit / 1024 + " KiB.",
            null,
            null);
    boolean waitsForContinue =
        "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    if (waitsForContinue || declared > drainLimit) {
      // The body stays unsent or unread, so this connection cannot carry another request.
      context
          .response()
          .putHeader(HttpHeaders.CONNECTION, "close")
          .endHandler(done -> request.connection().close());
      ProblemMapper.answer(context, tooLarge, json);
    } else if (request.isEnded()) {
      ProblemMapper.answer(context, tooLarge, json);
    } else {
      request.handler(dropped -> {});
      request.exceptionHandler(clientLeft -> {});
      request.endHandler(ended -> ProblemMapper.answer(context, tooLarge, json));
      request.resume();
    }
  }
}
