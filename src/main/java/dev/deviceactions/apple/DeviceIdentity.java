package dev.deviceactions.apple;

import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

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

  private final DeviceCa ca;
  private final Optional<String> clientCertHeader;

  public DeviceIdentity(DeviceCa ca, DeviceActionsConfig config) {
    this.ca = ca;
    this.clientCertHeader = config.apple().clientCertHeader();
  }

  Optional<String> clientCertHeader() {
    return clientCertHeader;
  }

  /** The signer of {@code body}, from its signature, else from the proxy's header. */
  Signer verify(byte[] body, String signature, String proxiedCertificate) {
    AppleMdm.requireConfigured(ca);
    X509CertificateHolder certificate;
    if (signature != null && !signature.isBlank()) {
      certificate = signerOf(body, signature);
    } else if (clientCertHeader.isPresent() && proxiedCertificate != null) {
      certificate = fromProxy(proxiedCertificate);
    } else {
      throw refused("The message carries no Mdm-Signature.");
    }
    return new Signer(issuedHere(certificate), sha256(certificate));
  }

  private static X509CertificateHolder signerOf(byte[] body, String signature) {
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
      X509CertificateHolder certificate = matches.iterator().next();
      if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
        throw refused("The Mdm-Signature does not match the body.");
      }
      return certificate;
    } catch (ProblemException e) {
      throw e;
    } catch (Exception e) {
      Log.debugf("Mdm-Signature refused: %s", e.getMessage());
      throw refused("The Mdm-Signature is not a valid signature of the body.");
    }
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

  /** The device record of a certificate the device CA issued and that is valid now. */
  private UUID issuedHere(X509CertificateHolder certificate) {
    try {
      X500Name caName =
          X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
      boolean ours =
          certificate.getIssuer().equals(caName)
              && certificate.isSignatureValid(
                  new JcaContentVerifierProviderBuilder().build(ca.certificate()));
      if (!ours) {
        throw refused("The signing certificate was not issued by this service's device CA.");
      }
    } catch (ProblemException e) {
      throw e;
    } catch (Exception e) {
      throw refused("The signing certificate was not issued by this service's device CA.");
    }
    if (!certificate.isValidOn(new Date())) {
      throw refused("The signing certificate has expired or is not valid yet.");
    }
    RDN[] cn = certificate.getSubject().getRDNs(BCStyle.CN);
    try {
      return UUID.fromString(IETFUtils.valueToString(cn[0].getFirst().getValue()));
    } catch (RuntimeException e) {
      throw refused("The signing certificate names no device record.");
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
