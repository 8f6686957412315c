package dev.deviceactions.secret;

/** The secrets an action can produce. */
public enum SecretKind {
  /** The 6-digit PIN the service generates for a macOS remoteLock. */
  recoveryPin,
  /**
   * The passcode the service generates for resetPasscode, or the PIN a device returns for resetPin.
   */
  temporaryPasscode
}
