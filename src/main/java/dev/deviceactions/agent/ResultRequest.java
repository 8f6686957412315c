package dev.deviceactions.agent;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A device's result for one of its actions. */
public record ResultRequest(
    @NotNull ResultStatus status,
    @Size(max = 1000) String detail,
    @Pattern(regexp = "\\d{4,16}", message = "must be 4 to 16 digits") String newPin) {

  /** What a device can answer. */
  public enum ResultStatus {
    done,
    failed,
    notNow,
    notSupported
  }
}
