package dev.deviceactions.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration under {@code device-actions}; durations take 5m, 30d or PT5M. */
@ConfigMapping(prefix = "device-actions")
public interface DeviceActionsConfig {

  RecoveryPin recoveryPin();

  TemporaryPasscode temporaryPasscode();

  Restart restart();

  Sweep sweep();

  Secrets secrets();

  /** The macOS recovery PIN. */
  interface RecoveryPin {
    /** How long a recovery PIN is kept and shown; then it is purged. */
    @WithDefault("30d")
    Duration retention();
  }

  /** The passcode from resetPasscode and the PIN a device returns for resetPin. */
  interface TemporaryPasscode {
    /** How long such a passcode or PIN is kept and shown. */
    @WithDefault("7d")
    Duration retention();
  }

  /** rebootNow. */
  interface Restart {
    /** A restart not done this long after it was requested fails with failureReason timedOut. */
    @WithDefault("5m")
    Duration timeout();
  }

  /** The maintenance sweep. */
  interface Sweep {
    /** Period of the in-process sweep ("off" disables it). */
    @WithDefault("1m")
    String every();

    /** How long after start the first in-process sweep runs. */
    @WithDefault("30s")
    String initialDelay();

    /** Rows one sweep statement touches at most, so that no sweep holds long locks. */
    @WithDefault("10000")
    int batchSize();
  }

  /** Encryption of PINs and passcodes at rest. */
  interface Secrets {
    /** Base64 of a 32-byte AES-256 key; required in production. */
    Optional<String> key();
  }
}
