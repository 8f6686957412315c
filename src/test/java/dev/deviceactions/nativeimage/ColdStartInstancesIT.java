package dev.deviceactions.nativeimage;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.Packaged;
import dev.deviceactions.support.TestKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged app's cold start (issue 28): what its first database-backed request does not need
 * stays off the start path: the OpenAPI document, which is served as the bytes the build wrote and
 * never parsed or re-serialized, and Hibernate's HQL parser. Seen in the classes the JVM loads (a
 * native binary loads none, so it gets the document check only); no timing is read, so a busy
 * machine changes nothing.
 */
class ColdStartInstancesIT {
  static final int PORT = 8096;
  static final String GENERATED = "META-INF/quarkus-generated-openapi-doc";

  /** What building the OpenAPI document at run time loads: SmallRye OpenAPI and SnakeYAML. */
  static final List<String> OPENAPI_AT_RUN_TIME = List.of("io.smallrye.openapi.", "org.yaml.");

  /** What parsing or writing the document loads; serving its bytes loads a format enum only. */
  static final List<String> OPENAPI_MODEL =
      List.of(
          "io.smallrye.openapi.api.",
          "io.smallrye.openapi.internal.",
          "io.smallrye.openapi.model.",
          "org.yaml.");

  /**
   * SmallRye's JTA context provider, which snapshots a JTA context at every Mutiny step; the app
   * runs no JTA transaction, so application.properties leaves it out.
   */
  static final String JTA_CONTEXT =
      "io.smallrye.context.jta.context.propagation.JtaContextProvider";

  /**
   * Narayana's transaction manager, which that provider created on the start path. The embedded dev
   * database of a default build brings a JDBC datasource, which creates one anyway.
   */
  static final String TRANSACTION_MANAGER =
      "com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionManagerImple";

  /**
   * Hibernate's HQL parser (its ANTLR grammar), which a first listing loaded and ran (about 1,000
   * classes with the query model it builds); the device list reads with SQL.
   */
  static final List<String> HQL_PARSER = List.of("org.hibernate.grammars.hql.");

  static EmbeddedPostgres database;
  static Packaged.Instance app;
  static Path classes;

  /** The classes the JVM had loaded when the first database-backed request was answered. */
  static List<String> atFirst200;

  @BeforeAll
  static void start() throws Exception {
    database = EmbeddedPostgres.builder().start();
    Flyway.configure()
        .dataSource(database.getPostgresDatabase())
        .locations("filesystem:src/main/resources/db/migration")
        .load()
        .migrate();
    classes = Files.createTempFile("classes", ".log");
    Map<String, String> env = Packaged.databaseOn(database.getPort());
    env.remove("QUARKUS_DATASOURCE_JDBC_URL"); // as deploy/ runs a serving instance
    env.put("QUARKUS_HTTP_PORT", Integer.toString(PORT));
    env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
    env.put("MP_JWT_VERIFY_ISSUER", Api.ISSUER);
    env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestKeys.publicKeyLocation());
    // The JVM lists every class it loads; a native binary ignores the variable.
    env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classes + ":none");
    app = Packaged.serve(env, 55437);
    awaitFirstDatabaseBacked200();
    atFirst200 = loadedClasses();
    if (!Packaged.isNative()) {
      assertTrue(
          atFirst200.contains(DeviceRepository.class.getName()),
          "the JVM's class list is live: it holds the class that served the request");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    database.close();
  }

  @Test
  void theOpenApiDocumentIsNotBuiltAtStart() throws Exception {
    assumeFalse(Packaged.isNative(), "a native binary loads no classes");
    assertEquals(
        List.of(), startingWith(atFirst200, OPENAPI_AT_RUN_TIME), "loaded by the first request");
  }

  @Test
  void noJtaContextIsPropagated() throws Exception {
    assumeFalse(Packaged.isNative(), "a native binary loads no classes");
    assertFalse(atFirst200.contains(JTA_CONTEXT), "loaded by the first request");
    if (!Boolean.getBoolean("test.embedded-stack")) {
      assertFalse(atFirst200.contains(TRANSACTION_MANAGER), "created by the first request");
    }
  }

  @Test
  void theFirstListingParsesNoHql() throws Exception {
    assumeFalse(Packaged.isNative(), "a native binary loads no classes");
    assertEquals(List.of(), startingWith(atFirst200, HQL_PARSER), "loaded by the first request");
  }

  @Test
  void theOpenApiDocumentIsServedAsTheBuildWroteIt() throws Exception {
    byte[] json = given().port(PORT).queryParam("format", "json").get("/q/openapi").asByteArray();
    byte[] yaml = given().port(PORT).get("/q/openapi").asByteArray();
    assertEquals("device-actions", given().port(PORT).get("/q/openapi.json").path("info.title"));
    if (Packaged.isNative()) {
      return; // the native binary holds the same resource; no jar to compare it with
    }
    assertArrayEquals(asBuilt(".JSON"), json);
    assertArrayEquals(asBuilt(".YAML"), yaml);
    assertEquals(
        List.of(), startingWith(loadedClasses(), OPENAPI_MODEL), "loaded to serve the document");
  }

  private static void awaitFirstDatabaseBacked200() throws Exception {
    String token = Api.token("cold-start@example.com", "devices.read");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      try {
        if (given().port(PORT).auth().oauth2(token).get("/api/v1/devices").statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        if (!app.process().isAlive()) {
          throw new AssertionError("the instance exited:\n" + app.logText());
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no 200 within 120 s:\n" + app.logText());
  }

  /** The names of the classes the JVM has loaded so far, in order. */
  private static List<String> loadedClasses() throws IOException {
    return Files.readAllLines(classes).stream().map(line -> line.split(" ", 2)[0]).toList();
  }

  private static List<String> startingWith(List<String> names, List<String> prefixes) {
    return names.stream().filter(name -> prefixes.stream().anyMatch(name::startsWith)).toList();
  }

  /** The document the build wrote into the jar's generated classes. */
  private static byte[] asBuilt(String suffix) throws IOException {
    try (ZipFile jar = new ZipFile("target/quarkus-app/quarkus/generated-bytecode.jar")) {
      return jar.getInputStream(jar.getEntry(GENERATED + suffix)).readAllBytes();
    }
  }
}
