package dev.deviceactions.apple.sim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The SCEP half of the Apple device simulator: what a Mac or iPhone does with an enrollment
 * profile's {@code com.apple.security.scep} payload (RFC 8894 as Apple's client runs it). It makes
 * an RSA 2048 key, a self-signed signer certificate for that key and a CSR carrying the challenge,
 * asks GetCACaps and GetCACert, sends the PKCSReq as a POST that also repeats the message in the
 * query string, checks that the CertRep is the CA's and answers its own request, and returns the
 * issued certificate with its key. {@link #enroll} is the whole exchange; the other methods are its
 * steps, for tests that change one of them.
 */
public final class ScepClient {
  static final String SCEP_PREFIX = "2.16.840.1.113733.1.9.";
  public static final ASN1ObjectIdentifier MESSAGE_TYPE = new ASN1ObjectIdentifier(SCEP_PREFIX + 2);
  public static final ASN1ObjectIdentifier PKI_STATUS = new ASN1ObjectIdentifier(SCEP_PREFIX + 3);
  public static final ASN1ObjectIdentifier FAIL_INFO = new ASN1ObjectIdentifier(SCEP_PREFIX + 4);
  public static final ASN1ObjectIdentifier SENDER_NONCE = new ASN1ObjectIdentifier(SCEP_PREFIX + 5);
  public static final ASN1ObjectIdentifier RECIPIENT_NONCE =
      new ASN1ObjectIdentifier(SCEP_PREFIX + 6);
  public static final ASN1ObjectIdentifier TRANSACTION_ID =
      new ASN1ObjectIdentifier(SCEP_PREFIX + 7);
  public static final ASN1ObjectIdentifier FAIL_INFO_TEXT =
      new ASN1ObjectIdentifier("1.3.6.1.5.5.7.24.1");
  public static final String PKCS_REQ = "19";

  private ScepClient() {}

  /**
   * How to build a request: the challenge, the messageType, the digest and content cipher, the
   * key's size, the certificate it is encrypted to, whether its signature is forged (made with
   * another key than the enclosed signer certificate's), and certificates enclosed besides the
   * signer's (clients that send their chain do).
   */
  public static final class Options {
    String challenge;
    String messageType = PKCS_REQ;
    String digest = "SHA256";
    ASN1ObjectIdentifier cipher = CMSAlgorithm.AES128_CBC;
    int keyBits = 2048;
    X509Certificate recipient;
    boolean forged;
    List<X509Certificate> enclosed = List.of();

    /** A PKCSReq as Apple's client sends it to a CA that advertises SHA-256 and AES. */
    public static Options pkcsReq(String challenge, X509Certificate ca) {
      Options options = new Options();
      options.challenge = challenge;
      options.recipient = ca;
      return options;
    }

    public Options messageType(String type) {
      messageType = type;
      return this;
    }

    public Options algorithms(String digestName, ASN1ObjectIdentifier contentCipher) {
      digest = digestName;
      cipher = contentCipher;
      return this;
    }

    public Options keyBits(int bits) {
      keyBits = bits;
      return this;
    }

    public Options encryptedTo(X509Certificate certificate) {
      recipient = certificate;
      return this;
    }

    public Options forged() {
      forged = true;
      return this;
    }

    public Options enclosing(X509Certificate... certificates) {
      enclosed = List.of(certificates);
      return this;
    }
  }

  /** A pkiMessage, with what the device keeps to read the answer. */
  public record Request(
      KeyPair keys,
      X509Certificate signer,
      String transactionId,
      byte[] senderNonce,
      byte[] message) {}

  /** A CertRep as the device reads it; {@code certificate} is null unless SUCCESS. */
  public record Reply(
      String messageType,
      String pkiStatus,
      String failInfo,
      String failInfoText,
      String transactionId,
      byte[] recipientNonce,
      ASN1ObjectIdentifier digest,
      ASN1ObjectIdentifier cipher,
      X509Certificate certificate) {

    public boolean success() {
      return "0".equals(pkiStatus);
    }
  }

  /** The CA answered FAILURE. */
  public static final class Refused extends IOException {
    public final Reply reply;

    Refused(Reply reply) {
      super("SCEP FAILURE, failInfo " + reply.failInfo() + ": " + reply.failInfoText());
      this.reply = reply;
    }
  }

  /** Enrolls as an Apple device does: GetCACaps, GetCACert, then PKIOperation by POST. */
  public static Identity enroll(URI scepUrl, String challenge)
      throws IOException, InterruptedException {
    List<String> caps = capabilities(scepUrl);
    X509Certificate ca = caCertificate(scepUrl);
    Options options = Options.pkcsReq(challenge, ca);
    if (!caps.contains("SHA-256") || !caps.contains("AES")) {
      options.algorithms("SHA1", CMSAlgorithm.DES_EDE3_CBC);
    }
    Request request = request(options);
    HttpResponse<byte[]> answer = send(postPkiOperation(scepUrl, request.message()));
    Reply reply = read(body(answer, "application/x-pki-message"), request, ca);
    if (!request.transactionId().equals(reply.transactionId())
        || !Arrays.equals(request.senderNonce(), reply.recipientNonce())) {
      throw new IOException("the CertRep answers another request");
    }
    if (!reply.success()) {
      throw new Refused(reply);
    }
    return new Identity(reply.certificate(), request.keys().getPrivate());
  }

  public static List<String> capabilities(URI scepUrl) throws IOException, InterruptedException {
    HttpResponse<byte[]> answer = send(get(scepUrl, "GetCACaps"));
    return new String(body(answer, "text/plain"), StandardCharsets.UTF_8).lines().toList();
  }

  public static X509Certificate caCertificate(URI scepUrl)
      throws IOException, InterruptedException {
    byte[] der = body(send(get(scepUrl, "GetCACert")), "application/x-x509-ca-cert");
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IOException("GetCACert answered no certificate", e);
    }
  }

  /** Apple's PKIOperation: a POST of the DER message, repeated base64 in the query string. */
  public static HttpRequest postPkiOperation(URI scepUrl, byte[] message) {
    return HttpRequest.newBuilder(
            URI.create(scepUrl + "?operation=PKIOperation&message=" + query(message)))
        .header("Content-Type", "application/x-pki-message")
        .POST(HttpRequest.BodyPublishers.ofByteArray(message))
        .build();
  }

  /** The message as a query parameter: base64, URL-encoded. */
  public static String query(byte[] message) {
    return URLEncoder.encode(Base64.getEncoder().encodeToString(message), StandardCharsets.UTF_8);
  }

  /** A pkiMessage built as {@code options} say. */
  public static Request request(Options options) {
    try {
      SecureRandom random = new SecureRandom();
      KeyPair keys = keyPair(options.keyBits, random);
      X509Certificate signer = selfSigned(keys, random);
      byte[] csr = csr(keys, options.challenge);
      CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
      envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(options.recipient));
      byte[] enveloped =
          envelope
              .generate(
                  new CMSProcessableByteArray(csr),
                  new JceCMSContentEncryptorBuilder(options.cipher).build())
              .getEncoded();
      String transactionId = transactionId(keys);
      byte[] nonce = new byte[16];
      random.nextBytes(nonce);
      PrivateKey signingKey =
          options.forged ? keyPair(2048, random).getPrivate() : keys.getPrivate();
      byte[] message =
          sign(
              enveloped,
              attributes(transactionId, options.messageType, nonce),
              signer,
              signingKey,
              options.digest,
              options.enclosed);
      return new Request(keys, signer, transactionId, nonce, message);
    } catch (Exception e) {
      throw new IllegalStateException("the simulator could not build its request", e);
    }
  }

  /**
   * A pkiMessage with these signed attributes around any content, signed with a fresh self-signed
   * certificate: for malformed requests.
   */
  public static byte[] signedMessage(AttributeTable attributes, byte[] content) {
    try {
      SecureRandom random = new SecureRandom();
      KeyPair keys = keyPair(2048, random);
      return sign(
          content, attributes, selfSigned(keys, random), keys.getPrivate(), "SHA256", List.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The signed attributes a client sends: transactionID, messageType, senderNonce. */
  public static AttributeTable attributes(String transactionId, String messageType, byte[] nonce) {
    ASN1EncodableVector attributes = new ASN1EncodableVector();
    if (transactionId != null) {
      attributes.add(attribute(TRANSACTION_ID, new DERPrintableString(transactionId)));
    }
    if (messageType != null) {
      attributes.add(attribute(MESSAGE_TYPE, new DERPrintableString(messageType)));
    }
    if (nonce != null) {
      attributes.add(attribute(SENDER_NONCE, new DEROctetString(nonce)));
    }
    return new AttributeTable(attributes);
  }

  /**
   * Reads a CertRep as the device does: it must be signed by {@code ca}; on SUCCESS the envelope,
   * encrypted to the request's signer certificate, must hold a certificate for the request's key.
   */
  public static Reply read(byte[] certRep, Request request, X509Certificate ca) throws IOException {
    try {
      CMSSignedData signed = new CMSSignedData(certRep);
      SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
      if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(ca))) {
        throw new IOException("the CertRep is not signed by the CA");
      }
      AttributeTable attributes = signer.getSignedAttributes();
      String status = text(attributes, PKI_STATUS);
      X509Certificate issued = null;
      ASN1ObjectIdentifier cipher = null;
      if ("0".equals(status)) {
        CMSEnvelopedData envelope =
            new CMSEnvelopedData((byte[]) signed.getSignedContent().getContent());
        cipher = envelope.getContentEncryptionAlgorithm().getAlgorithm();
        issued = issued(envelope, request);
      }
      return new Reply(
          text(attributes, MESSAGE_TYPE),
          status,
          text(attributes, FAIL_INFO),
          text(attributes, FAIL_INFO_TEXT),
          text(attributes, TRANSACTION_ID),
          octets(attributes, RECIPIENT_NONCE),
          new ASN1ObjectIdentifier(signer.getDigestAlgOID()),
          cipher,
          issued);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("unreadable CertRep: " + e.getMessage(), e);
    }
  }

  private static X509Certificate issued(CMSEnvelopedData envelope, Request request)
      throws Exception {
    RecipientInformation recipient =
        envelope.getRecipientInfos().get(new JceKeyTransRecipientId(request.signer()));
    if (recipient == null) {
      throw new IOException("the certificate is not encrypted to the request's signer");
    }
    byte[] degenerate =
        recipient.getContent(new JceKeyTransEnvelopedRecipient(request.keys().getPrivate()));
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> certificates =
        new CMSSignedData(degenerate).getCertificates().getMatches(null);
    SubjectPublicKeyInfo ours =
        SubjectPublicKeyInfo.getInstance(request.keys().getPublic().getEncoded());
    for (X509CertificateHolder certificate : certificates) {
      if (certificate.getSubjectPublicKeyInfo().equals(ours)) {
        return new JcaX509CertificateConverter().getCertificate(certificate);
      }
    }
    throw new IOException("no certificate for the request's key in the CertRep");
  }

  private static HttpRequest get(URI scepUrl, String operation) {
    return HttpRequest.newBuilder(URI.create(scepUrl + "?operation=" + operation)).GET().build();
  }

  private static HttpResponse<byte[]> send(HttpRequest request)
      throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build()
        .send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] body(HttpResponse<byte[]> answer, String type) throws IOException {
    String contentType = answer.headers().firstValue("Content-Type").orElse("");
    if (answer.statusCode() != 200 || !contentType.startsWith(type)) {
      throw new IOException(
          answer.request().uri().getQuery()
              + " answered "
              + answer.statusCode()
              + " "
              + contentType
              + ": "
              + new String(answer.body(), StandardCharsets.UTF_8));
    }
    return answer.body();
  }

  private static KeyPair keyPair(int bits, SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits, random);
    return generator.generateKeyPair();
  }

  /** Apple's temporary identity: a self-signed certificate for the key, CN a random UUID. */
  private static X509Certificate selfSigned(KeyPair keys, SecureRandom random) throws Exception {
    X500Name name = new X500Name("CN=" + UUID.randomUUID());
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
                name,
                new BigInteger(64, random),
                Date.from(now.minus(Duration.ofMinutes(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                name,
                keys.getPublic())
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
  }

  /** The CSR, subject as the profile's Subject says, with the challengePassword attribute. */
  private static byte[] csr(KeyPair keys, String challenge) throws Exception {
    var builder =
        new JcaPKCS10CertificationRequestBuilder(
            new X500Name("CN=device-actions simulator,O=Simulated Apple device"), keys.getPublic());
    if (challenge != null) {
      ASN1Encodable value =
          DERPrintableString.isPrintableString(challenge)
              ? new DERPrintableString(challenge)
              : new DERUTF8String(challenge);
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, value);
    }
    return builder
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()))
        .getEncoded();
  }

  /** As Apple: the hex SHA-1 of the public key. */
  private static String transactionId(KeyPair keys) throws GeneralSecurityException {
    byte[] key =
        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())
            .getPublicKeyData()
            .getBytes();
    return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(key));
  }

  private static byte[] sign(
      byte[] content,
      AttributeTable attributes,
      X509Certificate signer,
      PrivateKey key,
      String digest,
      List<X509Certificate> enclosed)
      throws Exception {
    var signerInfo =
        new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
            .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(attributes))
            .build(new JcaContentSignerBuilder(digest + "withRSA").build(key), signer);
    CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
    generator.addSignerInfoGenerator(signerInfo);
    generator.addCertificate(new JcaX509CertificateHolder(signer));
    for (X509Certificate certificate : enclosed) {
      generator.addCertificate(new JcaX509CertificateHolder(certificate));
    }
    return generator.generate(new CMSProcessableByteArray(content), true).getEncoded();
  }

  private static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
    return new Attribute(type, new DERSet(value));
  }

  private static ASN1Encodable value(AttributeTable attributes, ASN1ObjectIdentifier type) {
    Attribute attribute = attributes.get(type);
    return attribute == null ? null : attribute.getAttrValues().getObjectAt(0);
  }

  private static String text(AttributeTable attributes, ASN1ObjectIdentifier type) {
    return value(attributes, type) instanceof ASN1String s ? s.getString() : null;
  }

  private static byte[] octets(AttributeTable attributes, ASN1ObjectIdentifier type) {
    return value(attributes, type) instanceof ASN1OctetString o ? o.getOctets() : null;
  }
}
