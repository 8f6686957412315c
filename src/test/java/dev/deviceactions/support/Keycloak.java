package dev.deviceactions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Keycloak for the sign-in tests: the server distribution that the build unpacks into
 * target/keycloak (pom.xml, {@code keycloak.version}), started once per test JVM in {@code
 * start-dev} mode on an in-memory database, with the realm of src/test/resources/keycloak imported.
 * It stops with the JVM. Ports are free ones picked at start ({@code -Dtest.keycloak.port} fixes
 * the HTTP one), so that two checkouts can run side by side.
 *
 * <p>The realm {@value #REALM}: the five action roles and {@code devices.read} as realm roles, and
 * {@code devices.write} as a client role of the API's client {@code device-actions} (so it reaches
 * tokens in {@code resource_access.device-actions.roles}); {@value #OPERATOR} holds them all,
 * {@value #VIEWER} only {@code devices.read}. The console's public client {@code
 * device-actions-console} uses the Authorization Code flow with PKCE; the tests' own confidential
 * client {@value #TEST_CLIENT} has the password grant.
 */
public final class Keycloak {
  public static final String REALM = "device-actions";
  public static final String OPERATOR = "olivia";
  public static final String VIEWER = "victor";
  public static final String TEST_CLIENT = "device-actions-tests";
  public static final String CONSOLE_CLIENT = "device-actions-console";
  private static final String TEST_CLIENT_SECRET = "device-actions-tests-secret";
  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "admin-password";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Keycloak shared;

  private final Process process;
  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  private Keycloak(Process process, String base) {
    this.process = process;
    this.base = base;
  }

  /** The one Keycloak of this test JVM, started on first use. */
  public static synchronized Keycloak shared() {
    if (shared == null) {
      shared = start();
      Keycloak started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "keycloak-stop"));
    }
    return shared;
  }

  /** The realm's issuer, as Keycloak writes it into {@code iss}. */
  public String issuer() {
    return base + "/realms/" + REALM;
  }

  public String jwksUrl() {
    return issuer() + "/protocol/openid-connect/certs";
  }

  /** An access token for a user of the realm, by the password grant of the tests' client. */
  public String token(String username) {
    JsonNode answer =
        post(
            issuer() + "/protocol/openid-connect/token",
            Map.of(
                "grant_type", "password",
                "client_id", TEST_CLIENT,
                "client_secret", TEST_CLIENT_SECRET,
                "username", username,
                "password", username + "-password"),
            null);
    return answer.path("access_token").asText();
  }

  /** The {@code kid} in a token's header. */
  public static String keyId(String token) {
    try {
      byte[] header = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
      return JSON.readTree(header).path("kid").asText();
    } catch (IOException e) {
      throw new IllegalStateException("not a JWT", e);
    }
  }

  /** The {@code kid}s the realm's JWKS publishes now. */
  public List<String> publishedKeyIds() {
    JsonNode keys = send(HttpRequest.newBuilder(URI.create(jwksUrl())).GET()).path("keys");
    return keys.findValuesAsText("kid");
  }

  /**
   * Rotates the realm's RS256 signing key as an operator would in the admin console: a new
   * generated RSA key provider, active and of a higher priority than any before, then every older
   * RSA signing key provider disabled (so its key is neither used nor published any more).
   *
   * @return the id of the new key provider
   */
  public String rotateSigningKey() {
    String admin = adminToken();
    String realmId = send(authorized(admin, adminUrl(""))).path("id").asText();
    JsonNode providers =
        send(authorized(admin, adminUrl("/components?type=org.keycloak.keys.KeyProvider")));
    int priority = 100;
    for (JsonNode provider : providers) {
      priority = Math.max(priority, provider.path("config").path("priority").path(0).asInt());
    }
    Map<String, Object> created =
        Map.of(
            "name",
            "rsa-rotated-" + System.nanoTime(),
            "providerId",
            "rsa-generated",
            "providerType",
            "org.keycloak.keys.KeyProvider",
            "parentId",
            realmId,
            "config",
            Map.of(
                "priority", List.of(String.valueOf(priority + 100)),
                "enabled", List.of("true"),
                "active", List.of("true"),
                "algorithm", List.of("RS256")));
    HttpResponse<String> answer =
        exchange(
            authorized(admin, adminUrl("/components"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(created))));
    String location = answer.headers().firstValue("Location").orElseThrow();
    String newId = location.substring(location.lastIndexOf('/') + 1);
    for (JsonNode provider : providers) {
      if (provider.path("providerId").asText().equals("rsa-generated")) {
        ObjectNode disabled = provider.deepCopy();
        disabled.set(
            "config",
            JSON.valueToTree(
                Map.of(
                    "priority",
                    List.of(provider.path("config").path("priority").path(0).asText("100")),
                    "enabled",
                    List.of("false"),
                    "active",
                    List.of("false"))));
        exchange(
            authorized(admin, adminUrl("/components/" + provider.path("id").asText()))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(disabled))));
      }
    }
    return newId;
  }

  /**
   * Lets the page at {@code origin} call the realm's endpoints for the console's client (its Web
   * origins, which Keycloak checks for CORS). The realm file cannot say it: the test app's port is
   * chosen at run time, and Keycloak's {@code +} derives no origin from a wildcard redirect URI.
   */
  public synchronized void allowConsoleOrigin(String origin) {
    String admin = adminToken();
    JsonNode found =
        send(authorized(admin, adminUrl("/clients?clientId=" + CONSOLE_CLIENT))).path(0);
    ObjectNode client = found.deepCopy();
    var origins = client.withArray("webOrigins");
    for (JsonNode known : origins) {
      if (known.asText().equals(origin)) {
        return;
      }
    }
    origins.add(origin);
    exchange(
        authorized(admin, adminUrl("/clients/" + client.path("id").asText()))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(write(client))));
  }

  private String adminToken() {
    return post(
            base + "/realms/master/protocol/openid-connect/token",
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "admin-cli",
                "username",
                ADMIN,
                "password",
                ADMIN_PASSWORD),
            null)
        .path("access_token")
        .asText();
  }

  private String adminUrl(String path) {
    return base + "/admin/realms/" + REALM + path;
  }

  private static HttpRequest.Builder authorized(String token, String url) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
  }

  private JsonNode post(String url, Map<String, String> form, String token) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      return JSON.readTree(exchange(request).body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            "Keycloak answered "
                + response.statusCode()
                + " to "
                + built.method()
                + " "
                + built.uri()
                + ": "
                + response.body());
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException(built.method() + " " + built.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Keycloak start() {
    Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/missing"));
    Path script = home.resolve("bin/kc.sh");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException(
          "no Keycloak at "
              + home.toAbsolutePath()
              + ": the build unpacks it before the tests (pom.xml, maven-dependency-plugin"
              + " execution \"keycloak\"); run the tests through Maven");
    }
    int port = Integer.getInteger("test.keycloak.port", freePort());
    long began = System.nanoTime();
    try {
      Path imports = Files.createDirectories(home.resolve("data/import"));
      Files.copy(
          Path.of("target/test-classes/keycloak/device-actions-realm.json"),
          imports.resolve("device-actions-realm.json"),
          StandardCopyOption.REPLACE_EXISTING);
      Path log = Path.of("target/keycloak.log").toAbsolutePath();
      ProcessBuilder builder =
          new ProcessBuilder(
                  "bash",
                  script.toString(),
                  "start-dev",
                  "--db=dev-mem",
                  "--import-realm",
                  "--http-host=127.0.0.1",
                  "--http-port=" + port,
                  "--http-management-port=" + freePort())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // Keycloak needs Java 21 or newer: the JDK that runs these tests is one.
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
      builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
      builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
      Process process = builder.start();
      Keycloak keycloak = new Keycloak(process, "http://127.0.0.1:" + port);
      keycloak.awaitRealm(log);
      System.out.printf(
          "Keycloak %s started in %.1f s on port %d (log: %s)%n",
          home.getFileName(), (System.nanoTime() - began) / 1e9, port, log);
      return keycloak;
    } catch (IOException e) {
      throw new IllegalStateException("Keycloak did not start", e);
    }
  }

  private void awaitRealm(Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest discovery =
        HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
            .timeout(Duration.ofSeconds(5))
            .build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak exited with " + process.exitValue() + " before it was ready; see " + log);
      }
      try {
        if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    stop();
    throw new IllegalStateException(
        "Keycloak was not ready within " + START_TIMEOUT + "; see " + log);
  }

  private void stop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
