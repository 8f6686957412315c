package dev.deviceactions.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.common.DeviceActionsConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configuration properties production sets through deploy/, and the places that prove the app
 * reads each one: its own config mapping, smallrye-jwt, and the Quarkus extensions' config model.
 */
final class AppProperties {
  /** What the ConfigMap may set. */
  static final Set<String> CONFIG_MAP =
      Set.of(
          "quarkus.datasource.reactive.url",
          "quarkus.datasource.jdbc.url",
          "quarkus.datasource.username",
          "quarkus.datasource.reactive.max-size",
          "quarkus.http.port",
          "mp.jwt.verify.issuer",
          "mp.jwt.verify.publickey.location",
          "mp.jwt.verify.audiences",
          "smallrye.jwt.jwks.refresh-interval",
          "device-actions.auth.role-claims",
          "device-actions.auth.token-cache-size",
          "device-actions.console.oidc.client-id",
          "device-actions.console.oidc.scopes",
          "device-actions.recovery-pin.retention",
          "device-actions.temporary-passcode.retention",
          "device-actions.restart.timeout",
          "device-actions.approvals.ttl",
          "device-actions.sweep.every",
          "device-actions.sweep.initial-delay",
          "device-actions.sweep.batch-size",
          "device-actions.events.sinks",
          "device-actions.events.max-age",
          "device-actions.events.failed-retention",
          "device-actions.events.source",
          "device-actions.events.connect-timeout",
          "device-actions.events.request-timeout",
          "device-actions.events.catch-up",
          "device-actions.apple.push-initial-backoff",
          "device-actions.apple.push-max-backoff",
          "device-actions.apple.push-retry-for",
          "device-actions.agent.max-wait",
          "device-actions.agent.max-waiters",
          "device-actions.agent.catch-up",
          "quarkus.shutdown.timeout",
          "quarkus.log.level");

  /**
   * What the apple-mdm components add to the ConfigMap (Apple MDM is off without them, so the
   * shipped ConfigMap sets none): the public URL, the push topic, the files of the device CA and of
   * the push certificate, and the optional client certificate header, offered commented out.
   */
  static final Set<String> APPLE_MDM =
      Set.of(
          "device-actions.public-url",
          "device-actions.apple.push-topic",
          "device-actions.apple.ca-cert",
          "device-actions.apple.ca-key",
          "device-actions.apple.push-cert",
          "device-actions.apple.push-key",
          "device-actions.apple.client-cert-header");

  /** What only the Secret sets. */
  static final Set<String> SECRET =
      Set.of(
          "quarkus.datasource.password",
          "device-actions.secrets.key",
          "device-actions.events.signing-secret",
          "mp.jwt.verify.publickey");

  /**
   * Production has no default for these: deploy/ must give them. (The JDBC URL is the migrate Job's
   * alone, see ManifestTest.onlyTheMigrateJobHasAJdbcUrl.)
   */
  static final Set<String> REQUIRED =
      Set.of(
          "quarkus.datasource.reactive.url",
          "quarkus.datasource.username",
          "quarkus.datasource.password",
          "mp.jwt.verify.issuer",
          "device-actions.secrets.key");

  /** A duration as the app writes it: 20s, 5m, 30d (ISO-8601 like PT5M works too). */
  static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private static final String APPLICATION_PROPERTIES = "src/main/resources/application.properties";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AppProperties() {}

  /** The environment variable MicroProfile Config maps to {@code property}. */
  static String envForm(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  static Map<String, String> byEnvForm(Set<String> properties) {
    return properties.stream().collect(Collectors.toMap(AppProperties::envForm, p -> p));
  }

  /** Every leaf property of the {@code device-actions} config mapping. */
  static Set<String> deviceActionsMapping() {
    var names = new TreeSet<String>();
    collectMapping(
        DeviceActionsConfig.class,
        DeviceActionsConfig.class.getAnnotation(ConfigMapping.class).prefix(),
        names);
    return names;
  }

  /** The mp.jwt.* and smallrye.jwt.* properties smallrye-jwt injects. */
  static Set<String> smallryeJwtProperties() {
    var names = new TreeSet<String>();
    for (var field : JWTAuthContextInfoProvider.class.getDeclaredFields()) {
      var property = field.getAnnotation(ConfigProperty.class);
      if (property != null) {
        names.add(property.name());
      }
    }
    return names;
  }

  /**
   * Run-time properties of the Quarkus extensions on the classpath, each with the environment
   * variable Quarkus documents for it, from the config model every extension jar ships.
   */
  static Map<String, String> quarkusRuntimeProperties() {
    var found = new HashMap<String, String>();
    try {
      var models =
          AppProperties.class
              .getClassLoader()
              .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
      for (URL model : Collections.list(models)) {
        try (InputStream in = model.openStream()) {
          collectRuntime(JSON.readTree(in), found);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Seconds of a duration as the app writes them: 20s, 5m, 30d, or ISO-8601 like PT5M. */
  static long seconds(String duration) {
    var matcher = DURATION.matcher(duration);
    if (!matcher.matches()) {
      return Duration.parse(duration).toSeconds();
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> amount / 1000;
      case "s" -> amount;
      case "m" -> amount * 60;
      case "h" -> amount * 3600;
      default -> amount * 86400;
    };
  }

  /**
   * Properties application.properties sets only in a profile (%dev, %test), never for production.
   */
  static Set<String> profileOnlyProperties() {
    var properties = new Properties();
    try (var in = Files.newInputStream(Manifests.PROJECT.resolve(APPLICATION_PROPERTIES))) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var keys = properties.stringPropertyNames();
    var plain = keys.stream().filter(k -> !k.startsWith("%")).collect(Collectors.toSet());
    return keys.stream()
        .filter(k -> k.startsWith("%"))
        .map(k -> k.substring(k.indexOf('.') + 1))
        .filter(k -> !plain.contains(k))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void collectMapping(Class<?> type, String prefix, Set<String> names) {
    for (Method method : type.getMethods()) {
      if (method.getParameterCount() > 0
          || method.isDefault()
          || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      WithName withName = method.getAnnotation(WithName.class);
      String name = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
      Class<?> value = method.getReturnType();
      if (value.isInterface() && value.getName().startsWith("dev.deviceactions.")) {
        collectMapping(value, name, names);
      } else {
        names.add(name);
      }
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static void collectRuntime(JsonNode node, Map<String, String> found) {
    if (node.isObject() && "RUN_TIME".equals(node.path("phase").asText())) {
      addPath(node.path("path"), found);
      node.path("additionalPaths").forEach(path -> addPath(path, found));
    }
    node.forEach(child -> collectRuntime(child, found));
  }

  private static void addPath(JsonNode path, Map<String, String> found) {
    if (path.hasNonNull("property")) {
      found.put(path.get("property").asText(), path.path("environmentVariable").asText());
    }
  }
}
