package dev.deviceactions.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Request bodies before they are read: over the contract's limits (64 KiB, 1 MiB for bulk) is a
 * 413; an absent body is an empty JSON one, so that {@code POST .../remoteLock} and a check-in need
 * no Content-Type when they send nothing.
 */
public class BodyFilter {
  static final long SINGLE_LIMIT = 64 * 1024;
  static final long BULK_LIMIT = 1024 * 1024;

  @ServerRequestFilter(preMatching = true)
  public Response filter(ContainerRequestContext request) {
    long limit = request.getUriInfo().getPath().endsWith("/bulk") ? BULK_LIMIT : SINGLE_LIMIT;
    if (request.getLength() > limit) {
      String detail = "The body is larger than " + limit / 1024 + " KiB.";
      return ProblemMapper.respond(Problem.of(ProblemCode.payloadTooLarge, detail, null, null));
    }
    boolean noBody =
        request.getLength() <= 0 && request.getHeaderString("Transfer-Encoding") == null;
    if (noBody) {
      request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
    }
    return null;
  }
}
