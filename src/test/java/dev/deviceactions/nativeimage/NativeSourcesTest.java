package dev.deviceactions.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the native build steps wrote ({@code -Dquarkus.native.sources-only=true}, run by CI where no
 * GraalVM exists): the image arguments, no dynamic proxy, the resources, and reflection for every
 * type the app reads or writes as JSON, as {@link JsonTypes} derives them from the compiled
 * classes: registered by Quarkus where it sees the type, by {@code @RegisterForReflection} where it
 * does not.
 */
@EnabledIfSystemProperty(named = "native.sources", matches = ".+")
class NativeSourcesTest {
  static final Path SOURCES =
      Path.of(System.getProperty("native.sources", "target/native-sources"));

  /** Jackson finds a type's creators, accessors and fields reflectively. */
  static final List<List<String>> JACKSON_NEEDS =
      List.of(
          List.of("allDeclaredConstructors", "allPublicConstructors"),
          List.of("allDeclaredMethods", "allPublicMethods"),
          List.of("allDeclaredFields", "allPublicFields"));

  @Test
  void theImageIsBuiltFromTheRunnerJarWithoutFallback() throws IOException {
    List<String> args =
        List.of(Files.readString(SOURCES.resolve("native-image.args")).split("\\s+"));
    assertTrue(args.contains("--no-fallback"), args.toString());
    assertTrue(args.contains("--link-at-build-time"), args.toString());
    assertTrue(args.contains("device-actions-1.0.0-SNAPSHOT-runner.jar"), args.toString());
  }

  @Test
  void everyTypeTheAppReadsOrWritesAsJsonIsRegisteredForReflection() throws IOException {
    Map<String, JsonNode> registered = new HashMap<>();
    config("reflect-config.json")
        .forEach(entry -> registered.put(entry.get("name").asText(), entry));
    Map<String, String> missing = new TreeMap<>();
    JsonTypes.of(AppClasses.all())
        .reasons
        .forEach(
            (type, reason) -> {
              JsonNode entry = registered.get(type.getName());
              if (entry == null || !JACKSON_NEEDS.stream().allMatch(need -> grants(entry, need))) {
                missing.put(type.getName(), reason + "; registered as " + entry);
              }
            });
    assertEquals(Map.of(), missing, "register these with @RegisterForReflection");
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

  private static boolean grants(JsonNode entry, List<String> anyOf) {
    return anyOf.stream().anyMatch(flag -> entry.path(flag).asBoolean(false));
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
