package dev.deviceactions.apple;

import dev.deviceactions.common.DeviceActionsConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The device CA: the certificate and key that SCEP issues Apple devices' identity certificates with
 * ({@code device-actions.apple.ca-cert}, {@code .ca-key}, PEM files), and that every MDM message's
 * signer must chain to. Without both, Apple MDM is off and {@link #missing()} names what is
 * missing, except in dev mode, which makes a throwaway CA under {@code target/dev-device-ca} and
 * reuses it on every restart and live reload, so that devices enrolled against it stay valid.
 */
@ApplicationScoped
public class DeviceCa {
  static final String CA_CERT = "device-actions.apple.ca-cert";
  static final String CA_KEY = "device-actions.apple.ca-key";
  static final Path DEV_CA = Path.of("target", "dev-device-ca");
  static final String DEV_SUBJECT = "CN=device-actions dev device CA (throwaway),O=device-actions";

  /** How far back a certificate's validity starts, for clients whose clock runs a little late. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final X509Certificate certificate;
  private final PrivateKey key;

  public DeviceCa(DeviceActionsConfig config) {
    DeviceActionsConfig.Apple apple = config.apple();
    Path certFile = apple.caCert().map(Path::of).orElse(null);
    Path keyFile = apple.caKey().map(Path::of).orElse(null);
    if ((certFile == null || keyFile == null) && LaunchMode.current() == LaunchMode.DEVELOPMENT) {
      certFile = DEV_CA.resolve(DeviceCaFiles.CERT_FILE);
      keyFile = DEV_CA.resolve(DeviceCaFiles.KEY_FILE);
      if (!Files.exists(certFile)) {
        DeviceCaFiles.create(DEV_CA, DEV_SUBJECT);
        Log.infof("Dev mode: made a throwaway device CA in %s", DEV_CA);
      }
    }
    if (certFile == null || keyFile == null) {
      certificate = null;
      key = null;
      return;
    }
    certificate = readCertificate(certFile);
    key = readKey(keyFile);
    checkPair(certificate, key, certFile, keyFile);
    Log.infof("Device CA: %s", certificate.getSubjectX500Principal().getName());
  }

  /** Dev mode makes (or finds) its throwaway CA at start, not at the first enrollment. */
  static void atStart(@Observes StartupEvent start, DeviceCa ca) {
    if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
      ca.configured();
    }
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

  /**
   * Refuses with 503 {@code serviceUnavailable}, naming the missing keys, while Apple MDM is off.
   */
  public void requireConfigured() {
    if (!configured()) {
      throw new AppleMdmOff(missing());
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey key() {
    return key;
  }

  /** A random positive serial number of 16 bytes (RFC 5280 allows up to 20). */
  static BigInteger serial(SecureRandom random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] = (byte) ((bytes[0] & 0x3f) | 0x40); // positive and never shorter than 16 bytes
    return new BigInteger(1, bytes);
  }

  /** The device record an identity certificate names (its subject's CN), if it names one. */
  public static Optional<UUID> deviceId(X509Certificate identity) {
    RDN[] cn =
        X500Name.getInstance(identity.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
    if (cn.length != 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(IETFUtils.valueToString(cn[0].getFirst().getValue())));
    } catch (IllegalArgumentException notAnId) {
      return Optional.empty();
    }
  }

  /** A CA whose key does not belong to its certificate would issue certificates nobody trusts. */
  private static void checkPair(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
    if (!(cert.getPublicKey() instanceof RSAPublicKey pub)
        || !(key instanceof RSAPrivateCrtKey priv)) {
      throw new IllegalStateException(
          certFile
              + " and "
              + keyFile
              + ": the device CA needs an RSA key (SCEP clients encrypt"
              + " their requests to it)");
    }
    if (!pub.getModulus().equals(priv.getModulus())) {
      throw new IllegalStateException(keyFile + " is not the key of " + certFile);
    }
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
