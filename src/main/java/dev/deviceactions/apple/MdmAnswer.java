package dev.deviceactions.apple;

/**
 * What an MDM message is answered with: a status, a property list or no body, and whether the
 * message queued commands that a push should announce.
 */
record MdmAnswer(int status, byte[] plist, boolean commandsQueued) {
  static final MdmAnswer EMPTY = new MdmAnswer(200, null, false);

  /** A check-in message the service does not take for users it does not manage (Apple: 410). */
  static final MdmAnswer GONE = new MdmAnswer(410, null, false);

  static MdmAnswer of(byte[] plist) {
    return new MdmAnswer(200, plist, false);
  }
}
