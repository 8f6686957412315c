package dev.deviceactions.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deviceactions.common.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Collectors;

/**
 * A problem in Microsoft Graph's error shape, which the Graph SDKs read into {@code ODataError}:
 * the same status and {@code code} as the admin API, the field errors folded into the message.
 */
@RegisterForReflection
public record GraphError(Body error) {

  /** The {@code error} member. */
  @RegisterForReflection
  public record Body(String code, String message, InnerError innerError) {}

  /** Where Graph puts the time and the ids that tie an error to the request. */
  @RegisterForReflection
  public record InnerError(
      String date,
      @JsonProperty("request-id") String requestId,
      @JsonProperty("client-request-id") String clientRequestId) {}

  public static GraphError of(Problem problem, String requestId, String clientRequestId) {
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new GraphError(
        new Body(
            problem.code(), message(problem), new InnerError(date, requestId, clientRequestId)));
  }

  /** The detail, then the support matrix's reason and each field error, if any. */
  private static String message(Problem problem) {
    String detail =
        problem.reason() == null
            ? problem.detail()
            : problem.detail() + " (reason: " + problem.reason() + ")";
    if (problem.errors() == null || problem.errors().isEmpty()) {
      return detail;
    }
    return problem.errors().stream()
        .map(e -> e.field() + " " + e.message())
        .collect(Collectors.joining("; ", detail + " ", ""));
  }
}
