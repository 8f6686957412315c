package dev.deviceactions.apple;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.Packaged;
import dev.deviceactions.support.Packaged.Run;
import dev.deviceactions.support.TestKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/**
 * The one-shot {@code device-ca} command as an operator runs it, on the packaged application: it
 * writes a device CA's two PEM files without a database or any setting, never overwrites them, and
 * the app then serves that CA over SCEP.
 */
class DeviceCaCommandIT {

  @Test
  void makesACaWithoutDatabaseOrSettingsAndNeverOverwritesIt() throws Exception {
    Path dir = Files.createTempDirectory("device-ca").resolve("ca");
    Run run =
        Packaged.run(Map.of(), "device-ca", dir.toString(), "--subject", "CN=Example CA,O=Example");
    assertEquals(0, run.exitCode(), run.stderr());

    JsonNode out = new ObjectMapper().readTree(run.stdout().strip());
    Path cert = Path.of(out.get("certificate").asText());
    Path key = Path.of(out.get("key").asText());
    assertEquals(dir.resolve("device-ca.pem").toAbsolutePath(), cert);
    assertEquals(dir.resolve("device-ca-key.pem").toAbsolutePath(), key);
    X509Certificate ca = DeviceCa.readCertificate(cert);
    assertEquals(new X500Principal("CN=Example CA,O=Example"), ca.getSubjectX500Principal());
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
    ca.verify(ca.getPublicKey());
    assertEquals(0, ca.getBasicConstraints(), "a CA for end entities only");
    assertTrue(ca.getKeyUsage()[5], "keyCertSign");
    assertEquals(3072, ((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength());
    assertEquals(ca.getNotAfter().toInstant().toString(), out.get("notAfter").asText());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    DeviceCa.readKey(key);

    byte[] before = Files.readAllBytes(key);
    Run again = Packaged.run(Map.of(), "device-ca", dir.toString());
    assertNotEquals(0, again.exitCode());
    assertEquals("", again.stdout().strip());
    assertTrue(again.stderr().contains("exists already"), again.stderr());
    assertArrayEquals(before, Files.readAllBytes(key), "the key is untouched");

    Run wrong = Packaged.run(Map.of(), "device-ca", "--bogus");
    assertNotEquals(0, wrong.exitCode());
    assertTrue(wrong.stderr().contains("usage: device-ca"), wrong.stderr());
  }

  @Test
  void theAppServesTheCaTheCommandMade() throws Exception {
    Path dir = Files.createTempDirectory("device-ca");
    assertEquals(0, Packaged.run(Map.of(), "device-ca", dir.toString()).exitCode());
    try (EmbeddedPostgres database = EmbeddedPostgres.builder().start()) {
      Map<String, String> env = new HashMap<>(Packaged.databaseOn(database.getPort()));
      env.put("QUARKUS_HTTP_PORT", "8094");
      env.put("MP_JWT_VERIFY_ISSUER", Api.ISSUER);
      env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyLocation());
      env.put("DEVICE_ACTIONS_APPLE_CA_CERT", dir.resolve("device-ca.pem").toString());
      env.put("DEVICE_ACTIONS_APPLE_CA_KEY", dir.resolve("device-ca-key.pem").toString());
      try (Packaged.Instance instance = Packaged.serve(env)) {
        instance.awaitLive(8094);
        byte[] served =
            given()
                .port(8094)
                .queryParam("operation", "GetCACert")
                .get(ScepTest.SCEP)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertArrayEquals(
            DeviceCa.readCertificate(dir.resolve("device-ca.pem")).getEncoded(), served);
        assertTrue(
            List.of(instance.logText().split("\n")).stream()
                .anyMatch(line -> line.contains("Device CA: CN=device-actions device CA")),
            instance.logText());
      }
    }
  }
}
