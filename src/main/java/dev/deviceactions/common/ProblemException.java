package dev.deviceactions.common;

import java.util.List;

/** A refusal the services raise; {@link ProblemMapper} turns it into problem+json. */
public class ProblemException extends RuntimeException {
  public final ProblemCode code;
  public final String reason;
  public final List<Problem.FieldError> errors;

  public ProblemException(
      ProblemCode code, String detail, String reason, List<Problem.FieldError> errors) {
    super(detail, null, false, false);
    this.code = code;
    this.reason = reason;
    this.errors = errors;
  }

  public ProblemException(ProblemCode code, String detail) {
    this(code, detail, null, null);
  }

  public static ProblemException invalid(String field, String message) {
    return new ProblemException(
        ProblemCode.invalidRequest,
        "The request is not valid.",
        null,
        List.of(new Problem.FieldError(field, message)));
  }

  public Problem toProblem() {
    return Problem.of(code, getMessage(), reason, errors);
  }
}
