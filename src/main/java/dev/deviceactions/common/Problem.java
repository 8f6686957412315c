package dev.deviceactions.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * An RFC 9457 problem details body, with this API's {@code code} and extension members ({@code
 * reason}, {@code errors}, {@code missingSettings}). Registered for reflection by hand: it is only
 * ever a {@code Response} entity or written by our own ObjectMapper, where Quarkus does not look,
 * and a native binary would write it as {@code {}}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    String reason,
    List<FieldError> errors,
    List<String> missingSettings) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One invalid input, named by its JSON field, query or path parameter, or header. */
  @RegisterForReflection
  public record FieldError(String field, String message) {}

  public static Problem of(
      ProblemCode code, String detail, String reason, List<FieldError> errors) {
    String type = "https://device-actions.dev/problems/" + code.name();
    return new Problem(type, code.title, code.status, detail, code.name(), reason, errors, null);
  }

  /**
   * The same problem naming the configuration keys whose absence turns a feature off (Apple MDM
   * without its device CA).
   */
  public Problem withMissingSettings(List<String> settings) {
    return new Problem(type, title, status, detail, code, reason, errors, settings);
  }
}
