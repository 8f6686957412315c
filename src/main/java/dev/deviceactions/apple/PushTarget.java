package dev.deviceactions.apple;

import java.util.HexFormat;
import java.util.UUID;

/** Where an MDM push for one device goes: its APNs token and the PushMagic it expects back. */
record PushTarget(UUID deviceId, byte[] token, String pushMagic) {

  /** The token as APNs' path takes it: lowercase hex. */
  String tokenHex() {
    return HexFormat.of().formatHex(token);
  }

  /** Neither the token nor the PushMagic: both are the device's, and only APNs needs them. */
  @Override
  public String toString() {
    return "PushTarget[device " + deviceId + "]";
  }
}
