package dev.deviceactions.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An absent body is an empty JSON one, so that {@code POST .../remoteLock} and a check-in need no
 * Content-Type when they send nothing. (Bodies over their limit never get here: {@link
 * BodyLimits}.)
 */
public class BodyFilter {

  @ServerRequestFilter(preMatching = true)
  public void filter(ContainerRequestContext request) {
    boolean noBody =
        request.getLength() <= 0 && request.getHeaderString("Transfer-Encoding") == null;
    if (noBody) {
      request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
    }
  }
}
