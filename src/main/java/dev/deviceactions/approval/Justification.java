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

  /** The refusal of a covered request that came without a justification. */
  static ProblemException missing(String what) {
    return new ProblemException(
        ProblemCode.justificationRequired,
        "An approval policy covers " + what + ": send a justification (1 to 500 characters).");
  }

  /** The justification of an uncovered body, which may be absent. */
  public static String of(Justification body) {
    return body == null ? null : body.justification();
  }
}
