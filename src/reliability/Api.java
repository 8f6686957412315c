import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's HTTP API over loopback (java.net.http, HTTP/1.1): every call comes back as an {@link
 * Answer}, a lost answer (connection error, timeout) included, so that scenarios can count them.
 * Tokens are RS256 JWTs signed with the dev key, which the app under test is told to trust.
 */
final class Api {
  static final String ISSUER = "https://device-actions.reliability";
  static final String PROBLEM = "application/problem+json";

  /** One answer; {@code error} is set (and status is -1) when none came back. */
  record Answer(int status, String contentType, String body, long millis, String error) {
    boolean lost() {
      return error != null;
    }

    boolean is2xx() {
      return status >= 200 && status < 300;
    }

    boolean problem() {
      return contentType.startsWith(PROBLEM);
    }

    /** Microsoft Graph's error shape, which every refusal under /graph has. */
    boolean graphError() {
      return contentType.startsWith("application/json")
          && body.startsWith("{\"error\":{\"code\":\"")
          && body.contains("\"innerError\":{\"date\":");
    }

    /** A top-level JSON string member, e.g. "id" or "code"; the app's views are flat enough. */
    String field(String name) {
      Matcher m = Pattern.compile("[{,]\"" + name + "\":\"([^\"]*)\"").matcher(body);
      return m.find() ? m.group(1) : null;
    }

    long number(String name) {
      Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(body);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** What no answer may carry: a Java stack trace, an exception class name, SQL text. */
    boolean leaksInternals() {
      return Pattern.compile(
              "Exception|\\tat |\\.java:\\d|Caused by|org\\.hibernate|io\\.vertx|select .* from",
              Pattern.CASE_INSENSITIVE)
          .matcher(body)
          .find();
    }

    @Override
    public String toString() {
      String shown = body.length() > 160 ? body.substring(0, 160) + "..." : body;
      return lost() ? "lost (" + error + ")" : status + " " + contentType + " " + shown;
    }
  }

  final HttpClient client;
  final String base;
  final Duration timeout;

  Api(int port, Duration timeout) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    this.base = "http://localhost:" + port;
    this.timeout = timeout;
  }

  HttpRequest.Builder request(String pathAndQuery, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout);
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  Answer get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  Answer post(String path, String token) {
    return send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** A waiting check-in (Prefer: wait=N), with a timeout that leaves room for the wait. */
  Answer waitingCheckin(String token, int seconds) {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/agent/v1/checkin"))
            .timeout(Duration.ofSeconds(seconds + 15))
            .header("Authorization", "Bearer " + token)
            .header("Prefer", "wait=" + seconds)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** The waiting check-ins the app holds now (its gauge in /q/metrics; 0 when it cannot say). */
  double waitingCheckins() {
    return get("/q/metrics", null)
        .body()
        .lines()
        .filter(l -> l.startsWith("device_actions_waiting_checkins "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  Answer postJson(String path, String token, String json) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Answer send(HttpRequest request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> r =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(
          r.statusCode(),
          r.headers().firstValue("Content-Type").orElse(""),
          r.body(),
          millisSince(started),
          null);
    } catch (IOException e) {
      String error = e.getClass().getSimpleName();
      return new Answer(-1, "", "", millisSince(started), error);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "", "", millisSince(started), "interrupted");
    }
  }

  static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Signs tokens with the dev key pair's private half (src/dev/resources/dev/jwt-private.pem). */
  static final class Tokens {
    private final PrivateKey key;

    Tokens(Path privateKeyPem) throws Exception {
      String pem =
          Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      this.key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    String token(String upn, String... groups) {
      return sign(ISSUER, upn, 3600, groups);
    }

    /** Any issuer and lifetime, for the tokens the app must refuse. */
    String sign(String issuer, String upn, long lifetimeSeconds, String... groups) {
      long now = System.currentTimeMillis() / 1000;
      String claims =
          "{\"iss\":\"%s\",\"upn\":\"%s\",\"groups\":[%s],\"iat\":%d,\"exp\":%d}"
              .formatted(issuer, upn, quoted(groups), now - 60, now + lifetimeSeconds);
      String unsigned = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(claims);
      try {
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(unsigned.getBytes(StandardCharsets.US_ASCII));
        return unsigned
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
      } catch (Exception e) {
        throw new IllegalStateException("cannot sign a token", e);
      }
    }

    private static String quoted(String... groups) {
      return String.join(",", java.util.Arrays.stream(groups).map(g -> "\"" + g + "\"").toList());
    }

    private static String b64(String json) {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
  }
}
