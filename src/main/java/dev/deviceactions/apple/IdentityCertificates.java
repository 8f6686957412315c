package dev.deviceactions.apple;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The identity certificates the device CA issues over SCEP: subject {@code CN=<device record id>,
 * O=device-actions} whatever the CSR asked (the challenge, not the device, says which record), for
 * the CSR's public key, valid one year (never beyond the CA), keyUsage digitalSignature and
 * keyEncipherment, extendedKeyUsage clientAuth. A bean, so that its {@link SecureRandom} is created
 * at run time, not frozen into the native image.
 */
@ApplicationScoped
public class IdentityCertificates {
  public static final String ORGANIZATION = "device-actions";
  static final Duration VALIDITY = Duration.ofDays(365);

  private final DeviceCa ca;
  private final SecureRandom random = new SecureRandom();

  public IdentityCertificates(DeviceCa ca) {
    this.ca = ca;
  }

  /** A fresh serial number, chosen before the certificate so that its audit event can name it. */
  BigInteger serial() {
    return DeviceCa.serial(random);
  }

  /** The subject of the device record's identity certificates. */
  public static X500Name subject(UUID deviceId) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, ORGANIZATION)
        .addRDN(BCStyle.CN, deviceId.toString())
        .build();
  }

  X509Certificate issue(UUID deviceId, SubjectPublicKeyInfo publicKey, BigInteger serial) {
    // X.509 times have whole seconds.
    Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    Instant end = now.plus(VALIDITY).isBefore(caEnd) ? now.plus(VALIDITY) : caEnd;
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new X509v3CertificateBuilder(
                  new JcaX509CertificateHolder(ca.certificate()).getSubject(),
                  serial,
                  Date.from(now.minus(DeviceCa.CLOCK_SKEW)),
                  Date.from(end),
                  subject(deviceId),
                  publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(publicKey))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(ca.certificate()));
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(ca.key());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("the device CA could not sign a certificate", e);
    }
  }
}
