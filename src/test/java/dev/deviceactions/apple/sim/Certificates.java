package dev.deviceactions.apple.sim;

import java.io.IOException;
import java.io.Reader;
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
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests that need an identity without running SCEP: the tests' device CA (the one
 * the test profile configures) issuing one for a device record, another CA, an expired one.
 */
public final class Certificates {
  static final Path TEST_CA = Path.of("src/test/resources/test-keys/device-ca.pem");
  static final Path TEST_CA_KEY = Path.of("src/test/resources/test-keys/device-ca-key.pem");

  private Certificates() {}

  /** An identity for device record {@code deviceId} from the tests' device CA, valid now. */
  public static Identity issuedByTestCa(UUID deviceId) {
    Instant now = Instant.now();
    return issued(deviceId, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)));
  }

  /** The same, with the validity given. */
  public static Identity issued(UUID deviceId, Instant notBefore, Instant notAfter) {
    return issue(
        testCaCertificate(), readKey(TEST_CA_KEY), subject(deviceId), notBefore, notAfter, false);
  }

  /** An identity for {@code deviceId} from a CA this service does not know. */
  public static Identity issuedByAnotherCa(UUID deviceId) {
    Instant now = Instant.now();
    Identity otherCa =
        issue(
            null,
            null,
            new X500Name("CN=Another CA"),
            now.minusSeconds(300),
            now.plusSeconds(86400),
            true);
    return issue(
        otherCa.certificate(),
        otherCa.key(),
        subject(deviceId),
        now.minusSeconds(300),
        now.plusSeconds(86400),
        false);
  }

  public static X509Certificate testCaCertificate() {
    try (Reader reader = Files.newBufferedReader(TEST_CA);
        PEMParser parser = new PEMParser(reader)) {
      return new JcaX509CertificateConverter()
          .getCertificate((X509CertificateHolder) parser.readObject());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static X500Name subject(UUID deviceId) {
    return new X500Name("O=device-actions,CN=" + deviceId);
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a new key's certificate with {@code caKey}, or self-signs it when there is no CA. */
  private static Identity issue(
      X509Certificate ca,
      PrivateKey caKey,
      X500Name subject,
      Instant notBefore,
      Instant notAfter,
      boolean isCa) {
    KeyPair keys = rsa();
    try {
      X500Name issuer =
          ca == null ? subject : X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(System.nanoTime()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      X509CertificateHolder holder =
          builder.build(
              new JcaContentSignerBuilder("SHA256withRSA")
                  .build(caKey == null ? keys.getPrivate() : caKey));
      return new Identity(
          new JcaX509CertificateConverter().getCertificate(holder), keys.getPrivate());
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey readKey(Path file) {
    try (Reader reader = Files.newBufferedReader(file);
        PEMParser parser = new PEMParser(reader)) {
      return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
