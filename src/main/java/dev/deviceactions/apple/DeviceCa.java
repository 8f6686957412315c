package dev.deviceactions.apple;

import dev.deviceactions.common.DeviceActionsConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The device CA: the certificate and key that SCEP issues Apple devices' identity certificates with
 * ({@code device-actions.apple.ca-cert}, {@code .ca-key}, PEM files), and that every MDM message's
 * signer must chain to. Without both, Apple MDM is off and {@link #missing()} names what is
 * missing.
 */
@ApplicationScoped
public class DeviceCa {
  static final String CA_CERT = "device-actions.apple.ca-cert";
  static final String CA_KEY = "device-actions.apple.ca-key";

  private final X509Certificate certificate;
  private final PrivateKey key;

  public DeviceCa(DeviceActionsConfig config) {
    DeviceActionsConfig.Apple apple = config.apple();
    if (apple.caCert().isEmpty() || apple.caKey().isEmpty()) {
      certificate = null;
      key = null;
      return;
    }
    certificate = readCertificate(Path.of(apple.caCert().get()));
    key = readKey(Path.of(apple.caKey().get()));
    Log.infof("Device CA: %s", certificate.getSubjectX500Principal().getName());
  }

  public boolean configured() {
    return certificate != null;
  }

  /** The keys whose absence turns Apple MDM off, none when it is on. */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (certificate == null) {
      missing.add(CA_CERT);
      missing.add(CA_KEY);
    }
    return missing;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey key() {
    return key;
  }

  static X509Certificate readCertificate(Path file) {
    Object pem = readPem(file);
    if (!(pem instanceof X509CertificateHolder holder)) {
      throw new IllegalStateException(file + " holds no PEM certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalStateException(file + " holds no usable certificate", e);
    }
  }

  static PrivateKey readKey(Path file) {
    Object pem = readPem(file);
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (pem instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (pem instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
    } catch (IOException e) {
      throw new IllegalStateException(file + " holds no usable private key", e);
    }
    throw new IllegalStateException(file + " holds no unencrypted PEM private key");
  }

  private static Object readPem(Path file) {
    try (Reader reader = Files.newBufferedReader(file);
        PEMParser parser = new PEMParser(reader)) {
      return Optional.ofNullable(parser.readObject())
          .orElseThrow(() -> new IllegalStateException(file + " holds no PEM object"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
