package dev.deviceactions.apple;

import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.SignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Who sent an MDM message: the identity certificate in its {@code Mdm-Signature} (a detached CMS
 * SignedData over the exact body), or the one a TLS-terminating proxy passes in the header {@code
 * device-actions.apple.client-cert-header}. The certificate must be one the device CA issued and
 * not expired; its subject's CN names the device record (SCEP issued it so). Anything else is a 401
 * that changes nothing.
 */
@ApplicationScoped
public class DeviceIdentity {
  static final String SIGNATURE_HEADER = "Mdm-Signature";

  /** The device record the certificate was issued for, and the certificate's SHA-256. */
  record Signer(UUID deviceId, byte[] certHash) {}

  /**
   * How many certificates that passed the device CA's check are kept: about 300 bytes each (the
   * SHA-256, the record, two dates), so a few MiB at most.
   */
  static final int KNOWN = 16_384;

  /** A certificate the device CA issued: the record it names and its validity. */
  private record Known(UUID deviceId, Date notBefore, Date notAfter) {
    /** {@link X509CertificateHolder#isValidOn}, without reading the dates again. */
    boolean isValidOn(Date date) {
      return !date.before(notBefore) && !date.after(notAfter);
    }
  }

  private final DeviceCa ca;
  private final Optional<String> clientCertHeader;

  // Stateless BC helpers, made once rather than for each message.
  private final JcaContentVerifierProviderBuilder contentVerifiers =
      new JcaContentVerifierProviderBuilder();
  private final JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
  private final CMSSignatureAlgorithmNameGenerator algorithmNames =
      new DefaultCMSSignatureAlgorithmNameGenerator();
  private final SignatureAlgorithmIdentifierFinder algorithms =
      new DefaultSignatureAlgorithmIdentifierFinder();
  private final DigestCalculatorProvider digests;

  /** Access order: a get moves an entry to the end, so the eldest is the least recently used. */
  private final Map<ByteBuffer, Known> knownCertificates =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Known> eldest) {
          return size() > KNOWN;
        }
      };

  public DeviceIdentity(DeviceCa ca, DeviceActionsConfig config) {
    this.ca = ca;
    this.clientCertHeader = config.apple().clientCertHeader();
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("BC's digest calculators", e);
    }
  }

  Optional<String> clientCertHeader() {
    return clientCertHeader;
  }

  /** The signer of {@code body}, from its signature, else from the proxy's header. */
  Signer verify(byte[] body, String signature, String proxiedCertificate) {
    ca.requireConfigured();
    X509CertificateHolder certificate;
    byte[] hash;
    Known known;
    if (signature != null && !signature.isBlank()) {
      Signed signed = signed(body, signature);
      certificate = signed.certificate();
      hash = sha256(certificate);
      known = known(hash);
      verifySignature(signed);
    } else if (clientCertHeader.isPresent() && proxiedCertificate != null) {
      certificate = fromProxy(proxiedCertificate);
      hash = sha256(certificate);
      known = known(hash);
    } else {
      throw refused("The message carries no Mdm-Signature.");
    }
    return new Signer(issuedHere(certificate, hash, known), hash);
  }

  /** A detached signature as sent: its one signer and the certificate that signer names. */
  private record Signed(SignerInformation signer, X509CertificateHolder certificate) {}

  private static Signed signed(byte[] body, String signature) {
    try {
      CMSSignedData signed =
          new CMSSignedData(
              new CMSProcessableByteArray(body), Base64.getMimeDecoder().decode(signature));
      Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
      if (signers.size() != 1) {
        throw refused("The Mdm-Signature must have exactly one signer.");
      }
      SignerInformation signer = signers.iterator().next();
      Collection<X509CertificateHolder> matches =
          signed.getCertificates().getMatches(signer.getSID());
      if (matches.isEmpty()) {
        throw refused("The Mdm-Signature does not carry its signer's certificate.");
      }
      return new Signed(signer, matches.iterator().next());
    } catch (ProblemException e) {
      throw e;
    } catch (Exception e) {
      throw invalidSignature(e);
    }
  }

  /**
   * Checks the signature over the body with the certificate's key: BC's own check, with the signing
   * time (when the signature carries one) inside the certificate's validity.
   */
  private void verifySignature(Signed signed) {
    try {
      X509CertificateHolder certificate = signed.certificate();
      ContentVerifierProvider byKey =
          contentVerifiers.build(keys.getPublicKey(certificate.getSubjectPublicKeyInfo()));
      ContentVerifierProvider ofCertificate =
          new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
              return true;
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
              return certificate;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm)
                throws OperatorCreationException {
              return byKey.get(algorithm);
            }
          };
      SignerInformationVerifier verifier =
          new SignerInformationVerifier(algorithmNames, algorithms, ofCertificate, digests);
      if (!signed.signer().verify(verifier)) {
        throw refused("The Mdm-Signature does not match the body.");
      }
    } catch (ProblemException e) {
      throw e;
    } catch (Exception e) {
      throw invalidSignature(e);
    }
  }

  private static ProblemException invalidSignature(Exception e) {
    Log.debugf("Mdm-Signature refused: %s", e.getMessage());
    return refused("The Mdm-Signature is not a valid signature of the body.");
  }

  private static X509CertificateHolder fromProxy(String header) {
    try (PEMParser parser =
        new PEMParser(new StringReader(URLDecoder.decode(header, StandardCharsets.UTF_8)))) {
      if (parser.readObject() instanceof X509CertificateHolder certificate) {
        return certificate;
      }
    } catch (IOException | IllegalArgumentException e) {
      Log.debugf("Proxied client certificate refused: %s", e.getMessage());
    }
    throw refused("The proxied client certificate is not a PEM certificate.");
  }

  /**
   * The device record of a certificate the device CA issued and that is valid now. That the CA
   * signed it and which record it names are kept under its SHA-256 (at most {@link #KNOWN} of them,
   * the least recently used dropped first); its validity is checked on every message.
   */
  private UUID issuedHere(X509CertificateHolder certificate, byte[] hash, Known known) {
    if (known == null) {
      try {
        X500Name caName =
            X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        boolean ours =
            certificate.getIssuer().equals(caName)
                && certificate.isSignatureValid(contentVerifiers.build(ca.certificate()));
        if (!ours) {
          throw refused("The signing certificate was not issued by this service's device CA.");
        }
      } catch (ProblemException e) {
        throw e;
      } catch (Exception e) {
        throw refused("The signing certificate was not issued by this service's device CA.");
      }
    }
    Date now = new Date();
    if (!(known != null ? known.isValidOn(now) : certificate.isValidOn(now))) {
      throw refused("The signing certificate has expired or is not valid yet.");
    }
    if (known != null) {
      return known.deviceId();
    }
    UUID deviceId;
    try {
      RDN[] cn = certificate.getSubject().getRDNs(BCStyle.CN);
      deviceId = UUID.fromString(IETFUtils.valueToString(cn[0].getFirst().getValue()));
    } catch (RuntimeException e) {
      throw refused("The signing certificate names no device record.");
    }
    synchronized (knownCertificates) {
      knownCertificates.put(
          ByteBuffer.wrap(hash),
          new Known(deviceId, certificate.getNotBefore(), certificate.getNotAfter()));
    }
    return deviceId;
  }

  private Known known(byte[] hash) {
    synchronized (knownCertificates) {
      return knownCertificates.get(ByteBuffer.wrap(hash));
    }
  }

  static byte[] sha256(X509CertificateHolder certificate) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("SHA-256 of a certificate", e);
    }
  }

  static ProblemException refused(String detail) {
    return new ProblemException(ProblemCode.unauthorized, detail);
  }
}
