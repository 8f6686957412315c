package dev.deviceactions.apple;

import dev.deviceactions.common.Problem;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import java.util.List;

/**
 * Apple MDM is off for want of its settings: 503 {@code serviceUnavailable}, naming the missing
 * configuration keys in the problem's {@code missingSettings} member. Nothing else is affected.
 */
public class AppleMdmOff extends ProblemException {
  private final List<String> missing;

  public AppleMdmOff(List<String> missing) {
    super(ProblemCode.serviceUnavailable, "Apple MDM is off: set " + String.join(" and ", missing));
    this.missing = List.copyOf(missing);
  }

  @Override
  public Problem toProblem() {
    return super.toProblem().withMissingSettings(missing);
  }
}
