package dev.deviceactions.apple;

import dev.deviceactions.apple.ScepRefusal.FailInfo;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The PKCS#10 request inside a PKCSReq's envelope, opened with the device CA's key, and the
 * challengePassword it carries. It proves that its maker holds the key (its signature), an RSA key
 * of 2048 bits or more, the size the enrollment profile asks for.
 */
record CertificateRequest(PKCS10CertificationRequest csr, String challenge) {
  static final int MIN_RSA_BITS = 2048;

  static CertificateRequest open(CMSEnvelopedData envelope, DeviceCa ca) {
    PKCS10CertificationRequest csr = decrypt(envelope, ca);
    checkKey(csr);
    return new CertificateRequest(csr, challenge(csr));
  }

  private static PKCS10CertificationRequest decrypt(CMSEnvelopedData envelope, DeviceCa ca) {
    RecipientInformation recipient =
        envelope.getRecipientInfos().get(new JceKeyTransRecipientId(ca.certificate()));
    if (recipient == null) {
      throw new ScepRefusal(FailInfo.badRequest, "the request is not encrypted to this CA");
    }
    byte[] der;
    try {
      der = recipient.getContent(new JceKeyTransEnvelopedRecipient(ca.key()));
    } catch (CMSException | RuntimeException e) {
      throw new ScepRefusal(FailInfo.badRequest, "the envelope does not open with this CA's key");
    }
    try {
      return new PKCS10CertificationRequest(der);
    } catch (IOException | RuntimeException e) {
      throw new ScepRefusal(FailInfo.badRequest, "the envelope holds no PKCS#10 request");
    }
  }

  private static void checkKey(PKCS10CertificationRequest csr) {
    PublicKey key;
    try {
      key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ScepRefusal(FailInfo.badRequest, "the CSR's key is unreadable", e);
    }
    if (!(key instanceof RSAPublicKey rsa)) {
      throw new ScepRefusal(FailInfo.badAlg, "the requested key is not RSA");
    }
    if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new ScepRefusal(
          FailInfo.badRequest, "the requested key has fewer than " + MIN_RSA_BITS + " bits");
    }
    if (!signatureValid(csr, key)) {
      throw new ScepRefusal(FailInfo.badMessageCheck, "the CSR's signature does not verify");
    }
  }

  private static boolean signatureValid(PKCS10CertificationRequest csr, PublicKey key) {
    try {
      return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | PKCSException e) {
      return false;
    }
  }

  private static String challenge(PKCS10CertificationRequest csr) {
    Attribute[] found = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
    if (found.length == 1
        && found[0].getAttrValues().size() == 1
        && found[0].getAttrValues().getObjectAt(0) instanceof ASN1String text) {
      return text.getString();
    }
    throw new ScepRefusal(FailInfo.badRequest, "the CSR carries no challengePassword");
  }
}
