package dev.deviceactions.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem details body, with this API's {@code code} and extension members. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    String reason,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One invalid input, named by its JSON field, query or path parameter, or header. */
  public record FieldError(String field, String message) {}

  public static Problem of(
      ProblemCode code, String detail, String reason, List<FieldError> errors) {
    String type = "https://device-actions.dev/problems/" + code.name();
    return new Problem(type, code.title, code.status, detail, code.name(), reason, errors);
  }
}
