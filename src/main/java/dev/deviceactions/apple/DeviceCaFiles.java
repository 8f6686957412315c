package dev.deviceactions.apple;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a device CA and writes it as the two PEM files that {@code device-actions.apple.ca-cert}
 * and {@code .ca-key} name: an RSA 3072 key (SCEP clients encrypt their requests to the CA's RSA
 * key) and a self-signed CA certificate valid 10 years, for no CA below it (path length 0). Used by
 * the one-shot {@code device-ca} command and by dev mode's throwaway CA; it never overwrites a
 * file.
 */
public final class DeviceCaFiles {
  public static final String CERT_FILE = "device-ca.pem";
  public static final String KEY_FILE = "device-ca-key.pem";
  public static final String DEFAULT_SUBJECT = "CN=device-actions device CA,O=device-actions";
  static final int KEY_BITS = 3072;
  static final Duration VALIDITY = Duration.ofDays(3653);

  /** The files written, and the CA certificate they hold. */
  public record Made(Path certificate, Path key, X509Certificate ca) {}

  private DeviceCaFiles() {}

  /**
   * A new CA named {@code subject} (an X.500 name, {@code CN=...,O=...}) in {@code directory}
   * (created if missing); a file already there is left alone and fails the call.
   */
  public static Made create(Path directory, String subject) {
    // Read as RFC 2253 writes names (most significant last), as openssl and the JDK print them.
    X500Name name = X500Name.getInstance(new X500Principal(subject).getEncoded());
    Path cert = directory.resolve(CERT_FILE);
    Path key = directory.resolve(KEY_FILE);
    for (Path file : List.of(key, cert)) {
      if (Files.exists(file)) {
        throw new IllegalStateException(file + " exists already: nothing was written");
      }
    }
    SecureRandom random = new SecureRandom();
    KeyPair keys = keyPair(random);
    X509Certificate ca = selfSigned(name, keys, random);
    try {
      Files.createDirectories(directory);
      // The key first, readable by its owner only, so that no certificate exists without its key.
      writeNew(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null)), true);
      writeNew(cert, pem(ca), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the device CA to " + directory, e);
    }
    return new Made(cert, key, ca);
  }

  private static KeyPair keyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is part of every JDK", e);
    }
  }

  private static X509Certificate selfSigned(X500Name name, KeyPair keys, SecureRandom random) {
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  DeviceCa.serial(random),
                  Date.from(now.minus(DeviceCa.CLOCK_SKEW)),
                  Date.from(now.plus(VALIDITY)),
                  name,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(
                      KeyUsage.keyCertSign
                          | KeyUsage.cRLSign
                          | KeyUsage.digitalSignature
                          | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the device CA certificate", e);
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object instanceof JcaPKCS8Generator pkcs8 ? pkcs8.generate() : object);
    }
    return text.toString();
  }

  private static void writeNew(Path file, String text, boolean secret) throws IOException {
    if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
      return;
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
  }
}
