package dev.deviceactions.maintenance;

/** What one sweep did. */
public record SweepResult(long purgedRecoveryPins, long purgedPasscodes, long timedOutRestarts) {

  public String toJson() {
    return "{\"purgedRecoveryPins\":"
        + purgedRecoveryPins
        + ",\"purgedPasscodes\":"
        + purgedPasscodes
        + ",\"timedOutRestarts\":"
        + timedOutRestarts
        + "}";
  }
}
