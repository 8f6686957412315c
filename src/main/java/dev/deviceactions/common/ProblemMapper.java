package dev.deviceactions.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.deviceactions.graph.GraphError;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The one place where every failure becomes RFC 9457 problem+json, or Microsoft Graph's error shape
 * under {@code /graph}; no stack trace leaves here.
 */
public class ProblemMapper {
  static final String GRAPH_PATH = "/graph/";
  static final String REQUEST_ID = "request-id";
  static final String CLIENT_REQUEST_ID = "client-request-id";

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    return respond(e.toProblem());
  }

  // Quarkus throws its own subtype for endpoint validation and maps it unless we name it here.
  @ServerExceptionMapper(
      value = {ConstraintViolationException.class, ResteasyReactiveViolationException.class},
      priority = Priorities.USER - 100)
  public Response invalid(ConstraintViolationException e) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(field(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    return respond(
        Problem.of(ProblemCode.invalidRequest, "The request is not valid.", null, errors));
  }

  // Quarkus maps some Jackson subtypes itself; naming them keeps every 400 problem+json.
  @ServerExceptionMapper(
      value = {
        JsonProcessingException.class,
        JsonParseException.class,
        MismatchedInputException.class,
        InvalidFormatException.class
      },
      priority = Priorities.USER - 100)
  public Response unreadable(JsonProcessingException e) {
    String field = e instanceof JsonMappingException m ? jsonPath(m) : "";
    String message =
        e instanceof InvalidFormatException f && f.getTargetType() == String.class
            ? StorableText.MESSAGE
            : e instanceof JsonMappingException && !field.isEmpty()
                ? "has a wrong type or an unknown value"
                : "is not well-formed JSON";
    return respond(
        Problem.of(
            ProblemCode.invalidRequest,
            "The request body could not be read.",
            null,
            List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, message))));
  }

  @ServerExceptionMapper({
    AuthenticationFailedException.class,
    AuthenticationCompletionException.class,
    UnauthorizedException.class
  })
  public Response unauthenticated(RuntimeException e) {
    return unauthorized();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return respond(
        Problem.of(ProblemCode.forbidden, "The caller lacks the role for this.", null, null));
  }

  @ServerExceptionMapper
  public Response http(WebApplicationException e) {
    if (e.getResponse().getEntity() instanceof Problem) {
      return e.getResponse();
    }
    ProblemCode code =
        switch (e.getResponse().getStatus()) {
          case 400 -> ProblemCode.invalidRequest;
          case 401 -> ProblemCode.unauthorized;
          case 403 -> ProblemCode.forbidden;
          case 404 -> ProblemCode.notFound;
          case 405 -> ProblemCode.methodNotAllowed;
          case 406 -> ProblemCode.notAcceptable;
          case 413 -> ProblemCode.payloadTooLarge;
          case 415 -> ProblemCode.unsupportedMediaType;
          default -> null;
        };
    if (code == null) {
      return unexpected(e);
    }
    return code == ProblemCode.unauthorized
        ? unauthorized()
        : respond(Problem.of(code, code.title + ".", null, null));
  }

  /**
   * A database that is down, restarting or unreachable is a 503 the client may retry, answered at
   * once; anything else unexpected is a 500. Neither answer carries a stack trace.
   */
  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    if (DatabaseFailures.unavailable(e)) {
      Log.warnf("Database unavailable: %s", e.getMessage());
      return respond(
          Problem.of(
              ProblemCode.serviceUnavailable, "The database is not available; retry.", null, null));
    }
    Log.error("Unexpected failure", e);
    return respond(
        Problem.of(ProblemCode.internalError, "An unexpected error occurred.", null, null));
  }

  private static Response unauthorized() {
    return Response.fromResponse(
            respond(
                Problem.of(
                    ProblemCode.unauthorized, "Missing or invalid credentials.", null, null)))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  /**
   * Under {@code /graph} every answer carries Graph's request ids, and a problem, whichever mapper
   * (or resource) made it, is written in Graph's error shape with the same status and code.
   */
  @ServerResponseFilter
  public void graphShape(ContainerRequestContext request, ContainerResponseContext response) {
    if (!isGraph(request.getUriInfo().getPath())) {
      return;
    }
    String requestId = UUID.randomUUID().toString();
    String clientRequestId = clientRequestId(request.getHeaderString(CLIENT_REQUEST_ID), requestId);
    response.getHeaders().putSingle(REQUEST_ID, requestId);
    response.getHeaders().putSingle(CLIENT_REQUEST_ID, clientRequestId);
    if (response.getEntity() instanceof Problem problem) {
      response.setEntity(
          GraphError.of(problem, requestId, clientRequestId),
          null,
          MediaType.APPLICATION_JSON_TYPE);
    }
  }

  static boolean isGraph(String path) {
    return path != null && path.startsWith(GRAPH_PATH);
  }

  /** Answers a problem from a Vert.x route (outside JAX-RS), in the shape its path calls for. */
  static void answer(RoutingContext context, Problem problem, ObjectMapper json) {
    HttpServerResponse response = context.response().setStatusCode(problem.status());
    Object body = problem;
    if (isGraph(context.normalizedPath())) {
      String requestId = UUID.randomUUID().toString();
      String clientRequestId =
          clientRequestId(context.request().getHeader(CLIENT_REQUEST_ID), requestId);
      response.putHeader(REQUEST_ID, requestId).putHeader(CLIENT_REQUEST_ID, clientRequestId);
      body = GraphError.of(problem, requestId, clientRequestId);
    }
    try {
      response
          .putHeader(
              HttpHeaders.CONTENT_TYPE,
              body instanceof GraphError ? MediaType.APPLICATION_JSON : Problem.MEDIA_TYPE)
          .end(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem body could not be written", e);
    }
  }

  /** The client's own id is echoed, as Graph does, when it is a sensible header value. */
  static String clientRequestId(String sent, String requestId) {
    return sent != null && sent.matches("[\\x21-\\x7e]{1,100}") ? sent : requestId;
  }

  static Response respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  private static String field(ConstraintViolation<?> violation) {
    // "enroll.request.osVersion" -> "osVersion"; the method and parameter names are not the
    // client's.
    String last = "";
    for (Path.Node node : violation.getPropertyPath()) {
      last = node.getName();
    }
    return last;
  }

  private static String jsonPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
