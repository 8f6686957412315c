package dev.deviceactions.approval;

import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import jakarta.validation.constraints.Size;

/**
 * The optional body of the actions that take no other ({@code {"justification"}}); a request that a
 * policy covers must carry one, 1 to 500 characters.
 */
public record Justification(@Size(max = MAX) String justification) {
  public static final int MAX = 500;

  /** The justification of a covered request, or 422 justificationRequired. */
  static String required(String justification, String what) {
    if (justification == null || justification.isBlank()) {
      throw new ProblemException(
          ProblemCode.justificationRequired,
          "An approval policy covers " + what + ": send a justification (1 to 500 characters).");
    }
    return justification.strip();
  }

  /** The justification of an uncovered body, which may be absent. */
  public static String of(Justification body) {
    return body == null ? null : body.justification();
  }
}
