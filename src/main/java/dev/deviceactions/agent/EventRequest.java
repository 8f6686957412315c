package dev.deviceactions.agent;

import jakarta.validation.constraints.NotNull;

/** Something the device reports on its own. */
public record EventRequest(@NotNull EventType type) {

  /** The events a device can report. */
  public enum EventType {
    /** The Mac was unlocked with its recovery PIN: the PIN counts as used. */
    unlockedWithRecoveryPin
  }
}
