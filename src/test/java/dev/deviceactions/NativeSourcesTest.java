package dev.deviceactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the native build steps wrote ({@code -Dquarkus.native.sources-only=true}, run by CI where no
 * GraalVM exists): the image arguments, and reflection registered by Quarkus for everything our
 * entities, enums and JSON records need, with nothing registered by hand and no dynamic proxy.
 */
@EnabledIfSystemProperty(named = "native.sources", matches = ".+")
class NativeSourcesTest {
  static final Path SOURCES =
      Path.of(System.getProperty("native.sources", "target/native-sources"));

  static final List<String> NEEDS_REFLECTION =
      List.of(
          "dev.deviceactions.device.Device",
          "dev.deviceactions.action.DeviceAction",
          "dev.deviceactions.secret.ActionSecret",
          "dev.deviceactions.audit.AuditEvent",
          "dev.deviceactions.device.Platform",
          "dev.deviceactions.device.ManagementMode",
          "dev.deviceactions.action.ActionType",
          "dev.deviceactions.action.ActionState",
          "dev.deviceactions.device.EnrollDeviceRequest",
          "dev.deviceactions.device.DeviceView",
          "dev.deviceactions.action.ActionView",
          "dev.deviceactions.action.BulkRequest",
          "dev.deviceactions.action.BulkView",
          "dev.deviceactions.action.RemoteLockRequest",
          "dev.deviceactions.agent.CheckinRequest",
          "dev.deviceactions.agent.CheckinView",
          "dev.deviceactions.agent.Command",
          "dev.deviceactions.agent.ResultRequest",
          "dev.deviceactions.agent.EventRequest",
          "dev.deviceactions.secret.SecretView",
          "dev.deviceactions.secret.DeviceSecretsView",
          "dev.deviceactions.audit.AuditEventView",
          "dev.deviceactions.maintenance.SweepResult",
          "dev.deviceactions.common.Page");

  @Test
  void theImageIsBuiltFromTheRunnerJarWithoutFallback() throws IOException {
    List<String> args =
        List.of(Files.readString(SOURCES.resolve("native-image.args")).split("\\s+"));
    assertTrue(args.contains("--no-fallback"), args.toString());
    assertTrue(args.contains("--link-at-build-time"), args.toString());
    assertTrue(args.contains("device-actions-1.0.0-SNAPSHOT-runner.jar"), args.toString());
  }

  @Test
  void quarkusRegistersWhatOurEntitiesEnumsAndRecordsNeed() throws IOException {
    Set<String> registered = new HashSet<>();
    config("reflect-config.json").forEach(entry -> registered.add(entry.get("name").asText()));
    for (String type : NEEDS_REFLECTION) {
      assertTrue(registered.contains(type), type + " is not registered for reflection");
    }
  }

  @Test
  void noDynamicProxyAndTheMigrationsAreInTheImage() throws IOException {
    assertEquals(0, config("proxy-config.json").size());
    assertTrue(config("resource-config.json").toString().contains("db/migration/V1__schema.sql"));
  }

  @Test
  void everyFileOfTheAdminConsoleIsInTheImage() throws IOException {
    String resources = config("resource-config.json").toString();
    Path console = Path.of("src/main/resources/META-INF/resources/console");
    try (Stream<Path> files = Files.walk(console)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = "META-INF/resources/console/" + console.relativize(file).toString();
        assertTrue(resources.contains(name), name + " is not in the image");
      }
    }
  }

  @Test
  void nothingIsRegisteredByHand() throws IOException {
    assertFalse(Files.exists(Path.of("src/main/resources/META-INF/native-image")));
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        assertFalse(Files.readString(source).contains("RegisterForReflection"), source.toString());
      }
    }
  }

  private static JsonNode config(String name) throws IOException {
    Path runner;
    try (Stream<Path> files = Files.list(SOURCES)) {
      runner = files.filter(p -> p.toString().endsWith("-runner.jar")).findFirst().orElseThrow();
    }
    try (ZipFile jar = new ZipFile(runner.toFile())) {
      var entry = jar.getEntry("META-INF/native-image/" + name);
      return new ObjectMapper().readTree(jar.getInputStream(entry));
    }
  }
}
