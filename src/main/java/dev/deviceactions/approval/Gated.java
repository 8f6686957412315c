package dev.deviceactions.approval;

/**
 * A request that passed the approval gate: either run at once ({@code done}, no policy covers it)
 * or held for approval ({@code held}).
 */
public record Gated<T>(T done, ApprovalView held) {
  static <T> Gated<T> ran(T done) {
    return new Gated<>(done, null);
  }

  static <T> Gated<T> heldFor(ApprovalView request) {
    return new Gated<>(null, request);
  }

  public boolean isHeld() {
    return held != null;
  }
}
