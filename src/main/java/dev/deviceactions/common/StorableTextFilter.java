package dev.deviceactions.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Query parameters such as {@code q}, {@code actor} and {@code initiatedBy} reach SQL as they are,
 * so each must be {@link StorableText}; one that is not is a 400 naming it, where {@code q=%00} was
 * a 500. (Headers need no check: the HTTP decoder refuses a NUL in them, and reads them as
 * Latin-1.)
 */
public class StorableTextFilter {

  @ServerRequestFilter(preMatching = true)
  public Response filter(ContainerRequestContext request) {
    for (Map.Entry<String, List<String>> param :
        request.getUriInfo().getQueryParameters().entrySet()) {
      if (!param.getValue().stream().allMatch(StorableText::storable)) {
        return ProblemMapper.respond(
            ProblemException.invalid(param.getKey(), StorableText.MESSAGE).toProblem());
      }
    }
    return null;
  }
}
