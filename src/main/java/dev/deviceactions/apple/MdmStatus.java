package dev.deviceactions.apple;

import dev.deviceactions.common.ProblemException;
import java.util.Arrays;

/** The statuses a device reports at a connect (Apple's command protocol). */
enum MdmStatus {
  Idle,
  Acknowledged,
  Error,
  CommandFormatError,
  NotNow;

  static MdmStatus parse(String status) {
    return Arrays.stream(values())
        .filter(s -> s.name().equals(status))
        .findFirst()
        .orElseThrow(
            () ->
                ProblemException.invalid("Status", "must be one of " + Arrays.toString(values())));
  }
}
