package dev.deviceactions.action;

/** The remote actions; each has its own endpoint and its own role. */
public enum ActionType {
  remoteLock,
  resetPasscode,
  removePasscode,
  resetPin,
  rebootNow;

  /** The role that may request this action, e.g. {@code actions.remoteLock}. */
  public String role() {
    return "actions." + name();
  }
}
