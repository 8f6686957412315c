package dev.deviceactions.apple;

import dev.deviceactions.apple.ScepRefusal.FailInfo;
import dev.deviceactions.common.ProblemException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A SCEP pkiMessage as a client sent it (RFC 8894 section 3.2): a CMS SignedData, signed by the
 * requester's (often self-signed) certificate, whose signed attributes carry transactionID,
 * messageType and senderNonce, and whose content is an EnvelopedData encrypted to the CA holding
 * the PKCS#10 request. {@link #read} accepts anything a CertRep can answer (it needs the
 * transactionID and senderNonce to echo); the rest is checked by the methods, which refuse with a
 * {@link ScepRefusal}.
 */
record PkiMessage(
    CMSSignedData signed,
    SignerInformation signer,
    String transactionId,
    byte[] senderNonce,
    String messageType) {

  static final ASN1ObjectIdentifier SCEP = new ASN1ObjectIdentifier("2.16.840.1.113733.1.9");
  static final ASN1ObjectIdentifier MESSAGE_TYPE = SCEP.branch("2");
  static final ASN1ObjectIdentifier PKI_STATUS = SCEP.branch("3");
  static final ASN1ObjectIdentifier FAIL_INFO = SCEP.branch("4");
  static final ASN1ObjectIdentifier SENDER_NONCE = SCEP.branch("5");
  static final ASN1ObjectIdentifier RECIPIENT_NONCE = SCEP.branch("6");
  static final ASN1ObjectIdentifier TRANSACTION_ID = SCEP.branch("7");

  /** id-scep-failInfoText (RFC 8894 section 3.2.1.4.5): a human-readable failInfo. */
  static final ASN1ObjectIdentifier FAIL_INFO_TEXT = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.24.1");

  static final String CERT_REP = "3";
  static final String PKCS_REQ = "19";

  /** The message, or a 400 problem when it is no pkiMessage that a CertRep could answer. */
  static PkiMessage read(byte[] der) {
    CMSSignedData signed;
    Collection<SignerInformation> signers;
    try {
      signed = new CMSSignedData(der);
      signers = signed.getSignerInfos().getSigners();
    } catch (CMSException | RuntimeException e) {
      throw unreadable("is not a CMS SignedData (DER)");
    }
    if (signers.size() != 1) {
      throw unreadable("has " + signers.size() + " signers, not one");
    }
    SignerInformation signer = signers.iterator().next();
    AttributeTable attributes;
    try {
      attributes = signer.getSignedAttributes();
    } catch (RuntimeException e) {
      throw unreadable("has unreadable signed attributes");
    }
    String transactionId = printable(attributes, TRANSACTION_ID);
    byte[] senderNonce = octets(attributes, SENDER_NONCE);
    if (transactionId == null || senderNonce == null || senderNonce.length == 0) {
      throw unreadable("lacks the signed attribute transactionID or senderNonce");
    }
    return new PkiMessage(
        signed, signer, transactionId, senderNonce, printable(attributes, MESSAGE_TYPE));
  }

  /** The signer's certificate, which the message carries and was signed with. */
  X509Certificate signerCertificate() {
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> found = signed.getCertificates().getMatches(signer.getSID());
    if (found.isEmpty()) {
      throw new ScepRefusal(FailInfo.badMessageCheck, "the signer's certificate is not enclosed");
    }
    X509Certificate certificate;
    try {
      certificate = new JcaX509CertificateConverter().getCertificate(found.iterator().next());
    } catch (CertificateException e) {
      throw new ScepRefusal(FailInfo.badMessageCheck, "the signer's certificate is unreadable", e);
    }
    try {
      if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
        throw new ScepRefusal(FailInfo.badMessageCheck, "the signature does not verify");
      }
    } catch (CMSException | OperatorCreationException e) {
      throw new ScepRefusal(FailInfo.badMessageCheck, "the signature does not verify", e);
    }
    return certificate;
  }

  /** The content, an EnvelopedData that only {@code ca} can open. */
  CMSEnvelopedData envelope() {
    Object content =
        signed.getSignedContent() == null ? null : signed.getSignedContent().getContent();
    if (!(content instanceof byte[] bytes)) {
      throw new ScepRefusal(FailInfo.badRequest, "the message has no content");
    }
    try {
      return new CMSEnvelopedData(bytes);
    } catch (CMSException | RuntimeException e) {
      throw new ScepRefusal(FailInfo.badRequest, "the content is not a CMS EnvelopedData");
    }
  }

  private static ProblemException unreadable(String message) {
    return ProblemException.invalid("message", message);
  }

  private static ASN1Encodable value(AttributeTable attributes, ASN1ObjectIdentifier type) {
    Attribute attribute = attributes == null ? null : attributes.get(type);
    if (attribute == null || attribute.getAttrValues().size() != 1) {
      return null;
    }
    return attribute.getAttrValues().getObjectAt(0);
  }

  private static String printable(AttributeTable attributes, ASN1ObjectIdentifier type) {
    return value(attributes, type) instanceof ASN1String text ? text.getString() : null;
  }

  private static byte[] octets(AttributeTable attributes, ASN1ObjectIdentifier type) {
    return value(attributes, type) instanceof ASN1OctetString octets ? octets.getOctets() : null;
  }
}
