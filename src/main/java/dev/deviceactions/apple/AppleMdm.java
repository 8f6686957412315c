package dev.deviceactions.apple;

import dev.deviceactions.common.Problem;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import java.util.List;

/**
 * Apple MDM is off until it is configured: what needs a missing key answers a 503 problem whose
 * {@code errors} name the keys, and nothing else of the service is affected.
 */
final class AppleMdm {
  private AppleMdm() {}

  static void requireConfigured(DeviceCa ca) {
    requireSet(ca.missing());
  }

  static void requireSet(List<String> missing) {
    if (!missing.isEmpty()) {
      throw new ProblemException(
          ProblemCode.serviceUnavailable,
          "Apple MDM is off: set " + String.join(", ", missing) + ".",
          null,
          missing.stream().map(key -> new Problem.FieldError(key, "is not set")).toList());
    }
  }
}
