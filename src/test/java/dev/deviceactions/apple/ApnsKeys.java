package dev.deviceactions.apple;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates of an APNs stand-in, made with Bouncy Castle and written as PEM files: a CA that
 * issued the stand-in's server certificate (for localhost; the app trusts it as apns-ca), and an
 * MDM push certificate with its key (the app's TLS client identity) from a CA of its own, which the
 * stand-in requires its clients to present.
 */
public record ApnsKeys(
    Path dir, X509Certificate pushCertificate, X509Certificate serverCa, X509Certificate pushCa) {
  public static final String TOPIC = "com.apple.mgmt.External.device-actions-test";

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** Makes every key and certificate and writes them to a new directory. */
  public static ApnsKeys make() {
    try {
      Path dir = Files.createTempDirectory("apns-keys");
      KeyPair serverCaKeys = rsa();
      X509Certificate serverCa = ca("CN=APNs stand-in CA", serverCaKeys);
      KeyPair serverKeys = rsa();
      X509Certificate server =
          leaf("CN=localhost", serverKeys, serverCa, serverCaKeys.getPrivate(), true);
      KeyPair pushCaKeys = rsa();
      X509Certificate pushCa = ca("CN=Push CA of the tests", pushCaKeys);
      KeyPair pushKeys = rsa();
      X509Certificate push =
          leaf(
              "UID=" + TOPIC + ",CN=APSP:device-actions-test",
              pushKeys,
              pushCa,
              pushCaKeys.getPrivate(),
              false);
      write(dir.resolve("apns-ca.pem"), serverCa);
      write(dir.resolve("server.pem"), server);
      write(dir.resolve("server-key.pem"), serverKeys.getPrivate());
      write(dir.resolve("push-ca.pem"), pushCa);
      write(dir.resolve("push.pem"), push);
      write(dir.resolve("push-key.pem"), pushKeys.getPrivate());
      return new ApnsKeys(dir, push, serverCa, pushCa);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("the APNs test keys", e);
    }
  }

  public String path(String file) {
    return dir.resolve(file).toAbsolutePath().toString();
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate ca(String subject, KeyPair keys)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    X509v3CertificateBuilder builder = builder(new X500Name(subject), subject, keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return sign(builder, keys.getPrivate());
  }

  private static X509Certificate leaf(
      String subject, KeyPair keys, X509Certificate issuer, PrivateKey issuerKey, boolean server)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder = builder(issuerName, subject, keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
    if (server) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
    }
    return sign(builder, issuerKey);
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, String subject, KeyPair keys) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(Instant.now().minus(Duration.ofHours(1))),
        Date.from(Instant.now().plus(Duration.ofDays(30))),
        new X500Name(subject),
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  private static void write(Path file, Object pem) throws IOException {
    try (Writer out = Files.newBufferedWriter(file);
        JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(pem);
    }
  }
}
