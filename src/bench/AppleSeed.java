import java.io.BufferedWriter;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Seeds Apple MDM devices for the benchmarks: for N device records it issues an identity
 * certificate from the given device CA (one RSA key shared by all, so that seeding 10,000 takes
 * seconds), and signs each device's Idle connect the way the device would (Mdm-Signature: CMS,
 * detached, SHA-1 with RSA, the certificate embedded). Writes devices.tsv (record id, UDID, the
 * certificate's SHA-256 in hex) for sql/apple-seed.sql and idle.tsv (UDID, Mdm-Signature) for
 * wrk/mdm-connect.lua, which sends the same Idle body. Needs Bouncy Castle on the class path.
 *
 * <p>java -cp BC_JARS src/bench/AppleSeed.java CA_CERT CA_KEY COUNT OUT_DIR
 */
public class AppleSeed {
  /** The Idle connect body of device UDID: PREFIX + UDID + SUFFIX, byte for byte. */
  static final String PREFIX =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict><key>Status</key>"
          + "<string>Idle</string><key>UDID</key><string>";

  static final String SUFFIX = "</string></dict></plist>";

  public static void main(String[] args) throws Exception {
    X509Certificate ca = certificate(Path.of(args[0]));
    PrivateKey caKey = key(Path.of(args[1]));
    int count = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair shared = generator.generateKeyPair();
    String[] lines =
        IntStream.range(0, count)
            .parallel()
            .mapToObj(n -> device(n, ca, caKey, shared))
            .toArray(String[]::new);
    try (BufferedWriter devices = Files.newBufferedWriter(out.resolve("devices.tsv"));
        BufferedWriter idle = Files.newBufferedWriter(out.resolve("idle.tsv"))) {
      for (String line : lines) {
        String[] parts = line.split("\t");
        devices.write(parts[0] + "\t" + parts[1] + "\t" + parts[2] + "\n");
        idle.write(parts[1] + "\t" + parts[3] + "\n");
      }
    }
    System.out.printf("seeded %d Apple MDM identities in %s%n", count, out);
  }

  /** One device: record id, UDID, certificate hash, Idle signature, tab-separated. */
  static String device(int n, X509Certificate ca, PrivateKey caKey, KeyPair keys) {
    try {
      UUID id = UUID.randomUUID();
      String udid = String.format("BENCH-UDID-%08d", n);
      X509CertificateHolder holder =
          new JcaX509v3CertificateBuilder(
                  X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                  BigInteger.valueOf(n + 1L),
                  new Date(System.currentTimeMillis() - 3_600_000L),
                  new Date(System.currentTimeMillis() + 86_400_000L * 30),
                  new X500Name("O=device-actions,CN=" + id),
                  keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
      String hash =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(holder.getEncoded()));
      byte[] body = (PREFIX + udid + SUFFIX).getBytes(StandardCharsets.UTF_8);
      CMSSignedDataGenerator cms = new CMSSignedDataGenerator();
      cms.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .build(new JcaContentSignerBuilder("SHA1withRSA").build(keys.getPrivate()), certificate));
      cms.addCertificates(new JcaCertStore(List.of(certificate)));
      String signature =
          Base64.getEncoder()
              .encodeToString(cms.generate(new CMSProcessableByteArray(body), false).getEncoded());
      return id + "\t" + udid + "\t" + hash + "\t" + signature;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate certificate(Path pem) throws Exception {
    try (Reader r = Files.newBufferedReader(pem);
        PEMParser p = new PEMParser(r)) {
      return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) p.readObject());
    }
  }

  static PrivateKey key(Path pem) throws Exception {
    try (Reader r = Files.newBufferedReader(pem);
        PEMParser p = new PEMParser(r)) {
      return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
    }
  }

}
