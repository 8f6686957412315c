package dev.deviceactions.device;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A device's Apple MDM enrollment as the overview shows it. {@code pushConfigured}: this service
 * has a push certificate and a push token of the device that APNs has not refused, so a command
 * reaches it at once rather than at its next connect.
 */
@RegisterForReflection
public record AppleMdmView(
    String udid, Instant enrolledAt, Instant lastSeenAt, boolean enrolled, boolean pushConfigured) {

  /** Null until the device authenticated over Apple MDM. */
  static AppleMdmView of(Device d, boolean pushCertificate) {
    if (d.appleUdid == null) {
      return null;
    }
    return new AppleMdmView(
        d.appleUdid,
        d.appleEnrolledAt,
        d.appleLastSeenAt,
        d.appleEnrolled,
        pushCertificate && d.appleEnrolled && d.applePushReady);
  }
}
