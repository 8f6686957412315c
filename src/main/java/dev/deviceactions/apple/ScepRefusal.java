package dev.deviceactions.apple;

/**
 * A SCEP request the CA answers with a CertRep of {@code pkiStatus} FAILURE: its {@code failInfo}
 * (RFC 8894 section 3.2.1.4.5) and a reason for the log and the {@code failInfoText}, which never
 * holds the challenge.
 */
class ScepRefusal extends RuntimeException {
  /** The failInfo values; each is sent as the PrintableString of its ordinal. */
  enum FailInfo {
    /** Unrecognized or unsupported algorithm. */
    badAlg,
    /** Integrity check (signature verification of the CMS message) failed. */
    badMessageCheck,
    /** Transaction not permitted or supported. */
    badRequest,
    /** The signingTime attribute was not close enough to the system time. */
    badTime,
    /** No certificate could be identified matching the provided criteria. */
    badCertId;

    String code() {
      return Integer.toString(ordinal());
    }
  }

  final FailInfo failInfo;

  ScepRefusal(FailInfo failInfo, String reason) {
    super(reason, null, false, false);
    this.failInfo = failInfo;
  }

  ScepRefusal(FailInfo failInfo, String reason, Throwable cause) {
    super(reason + ": " + cause.getMessage(), null, false, false);
    this.failInfo = failInfo;
  }
}
