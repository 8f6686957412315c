package dev.deviceactions.apple;

import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.apple.sim.Identity;
import dev.deviceactions.apple.sim.ScepClient;
import dev.deviceactions.apple.sim.ScepClient.Options;
import dev.deviceactions.apple.sim.ScepClient.Reply;
import dev.deviceactions.apple.sim.ScepClient.Request;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.AppleChallenges;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.Test;

/**
 * SCEP (RFC 8894) at /mdm/apple/scep as Apple devices use it: the device CA's capabilities and
 * certificate, and PKIOperation, where a live enrollment challenge, once, gets the identity
 * certificate of its device record, and anything else gets a CertRep FAILURE that changes nothing.
 */
@QuarkusTest
class ScepTest {
  static final String SCEP = "/mdm/apple/scep";
  static final String PKI_MESSAGE = "application/x-pki-message";

  static URI scepUrl() {
    return URI.create(RestAssured.baseURI + ":" + RestAssured.port + SCEP);
  }

  static X509Certificate testCa() throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                Files.newInputStream(Path.of("src/test/resources/test-keys/device-ca.pem")));
  }

  /** POSTs a pkiMessage as Apple's client does, the message repeated in the query string. */
  static Response post(byte[] message) {
    return given()
        .urlEncodingEnabled(false)
        .contentType(PKI_MESSAGE)
        .body(message)
        .post(SCEP + "?operation=PKIOperation&message=" + ScepClient.query(message));
  }

  static Reply reply(Response response, Request request) throws Exception {
    response.then().statusCode(200).contentType(PKI_MESSAGE);
    return ScepClient.read(response.asByteArray(), request, testCa());
  }

  static Request pkcsReq(String challenge) throws Exception {
    return ScepClient.request(Options.pkcsReq(challenge, testCa()));
  }

  @Test
  void getCACapsAdvertisesWhatTheCaImplements() {
    String caps =
        given()
            .queryParam("operation", "GetCACaps")
            .get(SCEP)
            .then()
            .statusCode(200)
            .contentType(startsWith("text/plain"))
            .extract()
            .asString();
    assertEquals(
        List.of("POSTPKIOperation", "AES", "DES3", "SHA-1", "SHA-256", "SHA-512", "SCEPStandard"),
        caps.lines().toList());
  }

  @Test
  void getCACertIsTheDeviceCaInDer() throws Exception {
    byte[] der =
        given()
            .queryParam("operation", "GetCACert")
            .get(SCEP)
            .then()
            .statusCode(200)
            .contentType("application/x-x509-ca-cert")
            .extract()
            .asByteArray();
    assertArrayEquals(testCa().getEncoded(), der);
  }

  @Test
  void aGoodChallengeGetsTheDeviceRecordsIdentityCertificateOnce() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    String challenge = AppleChallenges.issue(mac.id());

    Identity identity = ScepClient.enroll(scepUrl(), challenge);

    X509Certificate issued = identity.certificate();
    X509Certificate ca = testCa();
    issued.verify(ca.getPublicKey());
    assertEquals(ca.getSubjectX500Principal(), issued.getIssuerX500Principal());
    assertEquals(
        new X500Principal("CN=" + mac.id() + ",O=device-actions"),
        issued.getSubjectX500Principal(),
        "the CSR asked for another subject; the certificate names the challenge's record");
    assertEquals(mac.id(), DeviceCa.deviceId(issued).orElseThrow().toString());
    Duration validity =
        Duration.between(issued.getNotBefore().toInstant(), issued.getNotAfter().toInstant());
    assertTrue(validity.compareTo(Duration.ofDays(365)) >= 0, validity.toString());
    assertTrue(validity.compareTo(Duration.ofDays(366)) < 0, validity.toString());
    assertTrue(issued.getNotBefore().toInstant().isBefore(Instant.now()));
    boolean[] usage = issued.getKeyUsage();
    assertTrue(usage[0] && usage[2], "digitalSignature and keyEncipherment");
    assertFalse(usage[5], "no keyCertSign");
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), issued.getExtendedKeyUsage());
    assertEquals(-1, issued.getBasicConstraints(), "not a CA");
    assertFalse(AppleChallenges.unspent(mac.id()), "the challenge is spent");

    String serial = issued.getSerialNumber().toString(16);
    asAdmin()
        .queryParam("deviceId", mac.id())
        .queryParam("activity", "appleCertificateIssued")
        .get("/api/v1/audit-events")
        .then()
        .statusCode(200)
        .body("items.detail", contains(serial))
        .body("items[0].actor", equalTo("system:scep"))
        .body("items[0].outcome", equalTo("ok"));

    ScepClient.Refused again =
        assertThrows(ScepClient.Refused.class, () -> ScepClient.enroll(scepUrl(), challenge));
    assertEquals("2", again.reply.failInfo(), "badRequest");
    assertNull(again.reply.certificate());
    asAdmin()
        .queryParam("deviceId", mac.id())
        .queryParam("activity", "appleCertificateIssued")
        .get("/api/v1/audit-events")
        .then()
        .body("items", hasSize(1));
  }

  @Test
  void theCertRepAnswersItsRequestSignedByTheCaAndEncryptedToTheSigner() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    Request request = pkcsReq(AppleChallenges.issue(mac.id()));

    Reply reply = reply(post(request.message()), request);

    assertTrue(reply.success());
    assertEquals("3", reply.messageType(), "CertRep");
    assertEquals(request.transactionId(), reply.transactionId());
    assertArrayEquals(request.senderNonce(), reply.recipientNonce());
    assertEquals(NISTObjectIdentifiers.id_sha256, reply.digest());
    assertEquals(CMSAlgorithm.AES128_CBC, reply.cipher());
    assertEquals(request.keys().getPublic(), reply.certificate().getPublicKey());
  }

  @Test
  void aClientWithoutSha256OrAesIsAnsweredInItsOwnAlgorithms() throws Exception {
    Api.EnrolledDevice iphone =
        Api.enroll(Map.of("platform", "iOS", "osVersion", "17.4", "supervised", true));
    Request request =
        ScepClient.request(
            Options.pkcsReq(AppleChallenges.issue(iphone.id()), testCa())
                .algorithms("SHA1", CMSAlgorithm.DES_EDE3_CBC));

    Reply reply = reply(post(request.message()), request);

    assertTrue(reply.success(), reply.failInfoText());
    assertEquals(OIWObjectIdentifiers.idSHA1, reply.digest());
    assertEquals(CMSAlgorithm.DES_EDE3_CBC, reply.cipher());
  }

  @Test
  void pkiOperationByGetTakesTheMessageFromTheQuery() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    Request request = pkcsReq(AppleChallenges.issue(mac.id()));

    Response response =
        given()
            .urlEncodingEnabled(false)
            .get(SCEP + "?operation=PKIOperation&message=" + ScepClient.query(request.message()));

    assertTrue(reply(response, request).success());
  }

  @Test
  void pkiOperationByPostNeedsNoContentTypeNorQueryCopy() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    Request request = pkcsReq(AppleChallenges.issue(mac.id()));

    Response response = given().body(request.message()).post(SCEP + "?operation=PKIOperation");

    assertTrue(reply(response, request).success());
  }

  @Test
  void appleSizedUrlsOverFourKilobytesAreServed() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    // A 4096-bit key, with the CA's certificate enclosed as clients that send their chain do,
    // makes the query copy about as long as the 7 KB of Apple's client.
    Request request =
        ScepClient.request(
            Options.pkcsReq(AppleChallenges.issue(mac.id()), testCa())
                .keyBits(4096)
                .enclosing(testCa()));
    String url = SCEP + "?operation=PKIOperation&message=" + ScepClient.query(request.message());
    assertTrue(url.length() > 6500, "the request line is " + url.length() + " characters");

    assertTrue(reply(post(request.message()), request).success());
  }

  @Test
  void unknownChallengeGetsFailureBadRequestWithoutCertificate() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    AppleChallenges.issue(mac.id());
    Request request = pkcsReq("not-the-challenge");

    Reply reply = reply(post(request.message()), request);

    assertFailure(reply, request, "2");
    assertTrue(AppleChallenges.unspent(mac.id()));
  }

  @Test
  void aRemovedDevicesChallengeGetsFailureAndStaysUnspent() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    String challenge = AppleChallenges.issue(mac.id());
    asAdmin().delete("/api/v1/devices/" + mac.id()).then().statusCode(204);
    Request request = pkcsReq(challenge);

    assertFailure(reply(post(request.message()), request), request, "2");
    assertTrue(AppleChallenges.unspent(mac.id()), "nothing changed");
  }

  @Test
  void aRequestEncryptedToAnotherCaGetsFailureAndSpendsNothing() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    Path other = Files.createTempDirectory("other-ca");
    X509Certificate otherCa = DeviceCaFiles.create(other, "CN=Another CA").ca();
    Request request =
        ScepClient.request(
            Options.pkcsReq(AppleChallenges.issue(mac.id()), testCa()).encryptedTo(otherCa));

    assertFailure(reply(post(request.message()), request), request, "2");
    assertTrue(AppleChallenges.unspent(mac.id()));
  }

  @Test
  void aForgedSignatureGetsFailureBadMessageCheck() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    Request request =
        ScepClient.request(Options.pkcsReq(AppleChallenges.issue(mac.id()), testCa()).forged());

    assertFailure(reply(post(request.message()), request), request, "1");
    assertTrue(AppleChallenges.unspent(mac.id()));
  }

  @Test
  void aKeyShorterThan2048BitsIsRefused() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    Request request =
        ScepClient.request(
            Options.pkcsReq(AppleChallenges.issue(mac.id()), testCa()).keyBits(1024));

    assertFailure(reply(post(request.message()), request), request, "2");
    assertTrue(AppleChallenges.unspent(mac.id()));
  }

  /** The CA issues at once: nothing to poll, no renewal, no lookups; each refused cleanly. */
  @Test
  void otherMessageTypesGetFailureBadRequest() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    String challenge = AppleChallenges.issue(mac.id());
    for (String type : List.of("17", "18", "20", "21", "22", "99")) {
      Request request = ScepClient.request(Options.pkcsReq(challenge, testCa()).messageType(type));
      assertFailure(reply(post(request.message()), request), request, "2");
    }
    assertTrue(AppleChallenges.unspent(mac.id()));
  }

  @Test
  void aPkiMessageWithoutAnEnvelopeGetsAFailureCertRep() throws Exception {
    byte[] nonce = new byte[16];
    var attributes = ScepClient.attributes("TX-1", "19", nonce);
    byte[] message = ScepClient.signedMessage(attributes, "not an envelope".getBytes());
    Request request = new Request(null, null, "TX-1", nonce, message);

    assertFailure(reply(post(message), request), request, "2");
  }

  @Test
  void whatNoCertRepCanAnswerIsA400Problem() {
    problem(post("not CMS".getBytes()), "message");
    // A signed message without transactionID or senderNonce has nothing a CertRep could echo.
    problem(
        post(ScepClient.signedMessage(ScepClient.attributes(null, "19", null), new byte[0])),
        "message");
    problem(given().queryParam("operation", "PKIOperation").get(SCEP), "message");
    problem(
        given().queryParam("operation", "PKIOperation").queryParam("message", "%%%").get(SCEP),
        "message");
    problem(given().queryParam("operation", "GetNextCACert").get(SCEP), "operation");
    problem(given().get(SCEP), "operation");
    problem(given().body(new byte[] {1}).post(SCEP + "?operation=GetCACaps"), "operation");
  }

  /** A seeded storm of damaged messages: each a CertRep or a 400 problem, never a 5xx. */
  @Test
  void damagedMessagesGetACertRepOrA400NeverA5xx() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    byte[] valid = pkcsReq(AppleChallenges.issue(mac.id())).message();
    Random random = new Random(8894);
    for (int i = 0; i < 200; i++) {
      byte[] damaged = valid.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
      }
      if (i % 10 == 0) {
        damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length));
      }
      int status = post(damaged).statusCode();
      assertTrue(status == 200 || status == 400, "damaged message " + i + " got " + status);
    }
  }

  @Test
  void theChallengeIsNeverAuditedNorLogged() throws Exception {
    Api.EnrolledDevice mac = Api.mac();
    String challenge = AppleChallenges.issue(mac.id());
    ScepClient.enroll(scepUrl(), challenge);
    assertThrows(ScepClient.Refused.class, () -> ScepClient.enroll(scepUrl(), challenge));

    String audit =
        asAdmin().queryParam("deviceId", mac.id()).get("/api/v1/audit-events").asString();
    assertTrue(audit.contains("appleCertificateIssued"), audit);
    assertFalse(audit.contains(challenge));
    String log = Files.readString(Path.of("target/quarkus-test.log"));
    assertTrue(log.contains("to device " + mac.id()), "the log holds this flow");
    assertFalse(log.contains(challenge), "the challenge is in the log");
  }

  static void assertFailure(Reply reply, Request request, String failInfo) {
    assertEquals("3", reply.messageType());
    assertEquals("2", reply.pkiStatus(), "FAILURE");
    assertEquals(failInfo, reply.failInfo(), reply.failInfoText());
    assertEquals(request.transactionId(), reply.transactionId());
    assertArrayEquals(request.senderNonce(), reply.recipientNonce());
    assertNull(reply.certificate());
  }

  static void problem(Response response, String field) {
    response
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("invalidRequest"))
        .body("errors[0].field", equalTo(field));
  }
}
