package dev.deviceactions.apple;

import dev.deviceactions.apple.ScepRefusal.FailInfo;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The CA's answer to a pkiMessage (RFC 8894 section 3.3.2): a CMS SignedData signed by the device
 * CA, with the request's transactionID, messageType CertRep, the pkiStatus, a senderNonce of its
 * own and the request's senderNonce as recipientNonce. On SUCCESS its content is an EnvelopedData,
 * encrypted to the requester's signer certificate, holding a certificates-only SignedData with the
 * issued certificate; on FAILURE it carries failInfo and failInfoText and empty content. The digest
 * and the content cipher are the request's where the CA supports them, so that a client that could
 * write them can read them.
 */
final class CertRep {
  static final String MEDIA_TYPE = "application/x-pki-message";
  static final String SUCCESS = "0";
  static final String FAILURE = "2";

  /** The digests a request may use, by OID, as JCA signature names begin. */
  static final Map<ASN1ObjectIdentifier, String> DIGESTS =
      Map.of(
          OIWObjectIdentifiers.idSHA1, "SHA1",
          NISTObjectIdentifiers.id_sha256, "SHA256",
          NISTObjectIdentifiers.id_sha384, "SHA384",
          NISTObjectIdentifiers.id_sha512, "SHA512");

  /** The content ciphers the CA answers in; any other request gets AES-128-CBC. */
  static final Set<ASN1ObjectIdentifier> CIPHERS =
      Set.of(
          CMSAlgorithm.AES128_CBC,
          CMSAlgorithm.AES192_CBC,
          CMSAlgorithm.AES256_CBC,
          CMSAlgorithm.DES_EDE3_CBC);

  private CertRep() {}

  static byte[] success(
      PkiMessage request,
      X509Certificate requester,
      ASN1ObjectIdentifier cipher,
      X509Certificate issued,
      DeviceCa ca,
      SecureRandom random) {
    try {
      CMSSignedDataGenerator certsOnly = new CMSSignedDataGenerator();
      certsOnly.addCertificate(new JcaX509CertificateHolder(issued));
      byte[] degenerate = certsOnly.generate(new CMSAbsentContent()).getEncoded();
      CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
      envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(requester));
      byte[] enveloped =
          envelope
              .generate(
                  new CMSProcessableByteArray(degenerate),
                  new JceCMSContentEncryptorBuilder(
                          CIPHERS.contains(cipher) ? cipher : CMSAlgorithm.AES128_CBC)
                      .setSecureRandom(random)
                      .build())
              .getEncoded();
      return sign(request, attributes(request, SUCCESS, random), enveloped, ca);
    } catch (CertificateEncodingException | CMSException | IOException e) {
      throw new IllegalStateException("a CertRep could not be built", e);
    }
  }

  static byte[] failure(
      PkiMessage request, FailInfo failInfo, String text, DeviceCa ca, SecureRandom random) {
    ASN1EncodableVector attributes = attributes(request, FAILURE, random);
    attributes.add(attribute(PkiMessage.FAIL_INFO, new DERPrintableString(failInfo.code())));
    attributes.add(attribute(PkiMessage.FAIL_INFO_TEXT, new DERUTF8String(text)));
    return sign(request, attributes, new byte[0], ca);
  }

  private static ASN1EncodableVector attributes(
      PkiMessage request, String status, SecureRandom random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    ASN1EncodableVector attributes = new ASN1EncodableVector();
    attributes.add(
        attribute(PkiMessage.TRANSACTION_ID, new DERPrintableString(request.transactionId())));
    attributes.add(attribute(PkiMessage.MESSAGE_TYPE, new DERPrintableString(PkiMessage.CERT_REP)));
    attributes.add(attribute(PkiMessage.PKI_STATUS, new DERPrintableString(status)));
    attributes.add(attribute(PkiMessage.SENDER_NONCE, new DEROctetString(nonce)));
    attributes.add(
        attribute(PkiMessage.RECIPIENT_NONCE, new DEROctetString(request.senderNonce())));
    return attributes;
  }

  private static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
    return new Attribute(type, new DERSet(value));
  }

  private static byte[] sign(
      PkiMessage request, ASN1EncodableVector attributes, byte[] content, DeviceCa ca) {
    String digest =
        DIGESTS.getOrDefault(
            new ASN1ObjectIdentifier(request.signer().getDigestAlgOID()), "SHA256");
    try {
      var signer =
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .setSignedAttributeGenerator(
                  new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
              .build(
                  new JcaContentSignerBuilder(digest + "withRSA").build(ca.key()),
                  ca.certificate());
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(signer);
      generator.addCertificate(new JcaX509CertificateHolder(ca.certificate()));
      return generator.generate(new CMSProcessableByteArray(content), true).getEncoded();
    } catch (OperatorCreationException
        | CertificateEncodingException
        | CMSException
        | IOException e) {
      throw new IllegalStateException("a CertRep could not be signed", e);
    }
  }
}
