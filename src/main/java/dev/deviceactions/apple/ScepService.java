package dev.deviceactions.apple;

import dev.deviceactions.apple.ScepRefusal.FailInfo;
import dev.deviceactions.common.Times;
import dev.deviceactions.common.UnitOfWork;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSEnvelopedData;

/**
 * The SCEP server (RFC 8894) of the device CA: its capabilities, its certificate, and PKIOperation,
 * where a PKCSReq whose challengePassword is a live enrollment challenge gets the identity
 * certificate of the challenge's device record, and spends the challenge. The CA issues at once or
 * refuses: it never answers PENDING, so it has nothing to poll (GetCertInitial), and it neither
 * renews (RenewalReq, UpdateReq), nor looks certificates or CRLs up (GetCert, GetCRL); those are
 * refused with failInfo badRequest, as anything it cannot grant is. A refusal changes nothing.
 */
@ApplicationScoped
public class ScepService {
  /** Who the audit names for a certificate issued over SCEP. */
  static final String ACTOR = "system:scep";

  /**
   * What GetCACaps advertises (RFC 8894 section 3.5.2): POST, AES and triple DES, SHA-1, SHA-256
   * and SHA-512, and SCEPStandard. Not Renewal nor GetNextCACert, which it does not do.
   */
  static final List<String> CAPABILITIES =
      List.of("POSTPKIOperation", "AES", "DES3", "SHA-1", "SHA-256", "SHA-512", "SCEPStandard");

  /** The messageTypes it refuses, and why. */
  static final Map<String, String> NOT_DONE =
      Map.of(
          "17", "RenewalReq: this CA does not renew; enroll again with a new profile",
          "18", "UpdateReq: this CA does not renew; enroll again with a new profile",
          "20", "GetCertInitial: this CA never answers PENDING, so there is nothing to poll",
          "21", "GetCert: this CA does not look certificates up",
          "22", "GetCRL: this CA publishes no CRL");

  private final DeviceCa ca;
  private final IdentityCertificates identities;
  private final ChallengeRepository challenges;
  private final SecureRandom random = new SecureRandom();

  public ScepService(DeviceCa ca, IdentityCertificates identities, ChallengeRepository challenges) {
    this.ca = ca;
    this.identities = identities;
    this.challenges = challenges;
  }

  /** GetCACaps: one capability a line. */
  String capabilities() {
    ca.requireConfigured();
    return String.join("\n", CAPABILITIES) + "\n";
  }

  /** GetCACert: the CA certificate, DER. */
  byte[] caCertificate() {
    ca.requireConfigured();
    try {
      return ca.certificate().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the device CA certificate cannot be encoded", e);
    }
  }

  /** PKIOperation: the CertRep, DER; a 400 problem for a message no CertRep can answer. */
  Uni<byte[]> pkiOperation(byte[] message) {
    ca.requireConfigured();
    PkiMessage request = PkiMessage.read(message);
    Enrollment enrollment;
    try {
      enrollment = enrollment(request);
    } catch (ScepRefusal refusal) {
      return Uni.createFrom().item(refuse(request, refusal));
    }
    return UnitOfWork.runToEnd(enroll(request, enrollment));
  }

  /** What a PKCSReq asks for, once its signature, envelope and CSR have been checked. */
  private record Enrollment(
      X509Certificate requester, ASN1ObjectIdentifier cipher, CertificateRequest csr) {}

  private Enrollment enrollment(PkiMessage request) {
    try {
      return checked(request);
    } catch (ScepRefusal refusal) {
      throw refusal;
    } catch (RuntimeException malformed) {
      // Bouncy Castle parses lazily: damaged DER inside the message surfaces as its runtime
      // exceptions while the parts are read.
      throw new ScepRefusal(FailInfo.badRequest, "the message is malformed", malformed);
    }
  }

  private Enrollment checked(PkiMessage request) {
    if (!PkiMessage.PKCS_REQ.equals(request.messageType())) {
      throw new ScepRefusal(
          FailInfo.badRequest,
          NOT_DONE.getOrDefault(
              request.messageType(), "messageType " + request.messageType() + " is unknown"));
    }
    X509Certificate requester = request.signerCertificate();
    if (!(requester.getPublicKey() instanceof RSAPublicKey)) {
      throw new ScepRefusal(
          FailInfo.badAlg, "the signer's key is not RSA, so no answer can be encrypted to it");
    }
    CMSEnvelopedData envelope = request.envelope();
    return new Enrollment(
        requester,
        envelope.getContentEncryptionAlgorithm().getAlgorithm(),
        CertificateRequest.open(envelope, ca));
  }

  private Uni<byte[]> enroll(PkiMessage request, Enrollment enrollment) {
    BigInteger serial = identities.serial();
    byte[] hash = ChallengeRepository.hash(enrollment.csr().challenge());
    // The certificate is made inside the transaction: if it could not be, the challenge stays.
    return challenges.inTransaction(
        connection ->
            challenges
                .spend(connection, hash, Times.now(), serial.toString(16))
                .map(
                    deviceId ->
                        deviceId == null
                            ? refuse(request, notLive())
                            : issue(request, enrollment, deviceId, serial)));
  }

  private static ScepRefusal notLive() {
    return new ScepRefusal(
        FailInfo.badRequest,
        "the challenge is unknown, spent or expired, or its device record was removed");
  }

  private byte[] issue(
      PkiMessage request, Enrollment enrollment, UUID deviceId, BigInteger serial) {
    X509Certificate issued =
        identities.issue(deviceId, enrollment.csr().csr().getSubjectPublicKeyInfo(), serial);
    Log.infof(
        "SCEP: issued certificate %s to device %s (transaction %s)",
        serial.toString(16), deviceId, request.transactionId());
    return CertRep.success(
        request, enrollment.requester(), enrollment.cipher(), issued, ca, random);
  }

  private byte[] refuse(PkiMessage request, ScepRefusal refusal) {
    Log.infof(
        "SCEP: refused transaction %s (%s): %s",
        request.transactionId(), refusal.failInfo, refusal.getMessage());
    return CertRep.failure(request, refusal.failInfo, refusal.getMessage(), ca, random);
  }
}
