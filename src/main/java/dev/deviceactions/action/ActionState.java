package dev.deviceactions.action;

/** Microsoft Graph's actionState; done, failed, canceled and notSupported never change again. */
public enum ActionState {
  pending,
  active,
  done,
  failed,
  canceled,
  notSupported;

  public boolean isFinal() {
    return this != pending && this != active;
  }
}
