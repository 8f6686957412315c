import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The APNs push-latency benchmark (push.sh runs it, with the production jar's libraries on the
 * class path: Vert.x for the HTTP/2 TLS stand-in, Bouncy Castle for its keys).
 *
 * <pre>
 *   keys DIR                                       the stand-in's CA and server certificate (localhost),
 *                                                  and a push certificate and key from a push CA
 *   run URL TOKEN DEVICES DIR PORT RATE SECS WARM  starts the stand-in on PORT (h2 only, client
 *                                                  certificate required, answers 200), then requests
 *                                                  remoteLock at RATE/s (open loop), each on a device of
 *                                                  its own (DEVICES: id TAB token hex), WARM s not counted
 *                                                  then SECS s; prints p50/p99/max from each 202 to its
 *                                                  push's arrival, and the app's own commit-to-push timer
 * </pre>
 *
 * One JVM sends the requests and receives the pushes, so both are timed with the same nanoTime.
 */
public class ApnsBench {
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "keys" -> keys(Path.of(args[1]));
      case "run" ->
          run(
              args[1],
              args[2],
              Files.readAllLines(Path.of(args[3])),
              Path.of(args[4]),
              Integer.parseInt(args[5]),
              Integer.parseInt(args[6]),
              Integer.parseInt(args[7]),
              Integer.parseInt(args[8]));
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.exit(0); // Vert.x's and the HTTP client's threads would keep the JVM up
  }

  // The stand-in's keys

  static void keys(Path dir) throws Exception {
    Files.createDirectories(dir);
    KeyPair caKeys = rsa();
    X509Certificate ca = certificate("CN=APNs stand-in CA", caKeys, "CN=APNs stand-in CA", caKeys.getPrivate(), true);
    KeyPair serverKeys = rsa();
    X509Certificate server = certificate("CN=localhost", serverKeys, "CN=APNs stand-in CA", caKeys.getPrivate(), false);
    KeyPair pushCaKeys = rsa();
    X509Certificate pushCa = certificate("CN=Push CA", pushCaKeys, "CN=Push CA", pushCaKeys.getPrivate(), true);
    KeyPair pushKeys = rsa();
    X509Certificate push =
        certificate(
            "UID=com.apple.mgmt.External.bench,CN=APSP:bench", pushKeys, "CN=Push CA", pushCaKeys.getPrivate(), false);
    write(dir.resolve("apns-ca.pem"), ca);
    write(dir.resolve("server.pem"), server);
    write(dir.resolve("server-key.pem"), serverKeys.getPrivate());
    write(dir.resolve("push-ca.pem"), pushCa);
    write(dir.resolve("push.pem"), push);
    write(dir.resolve("push-key.pem"), pushKeys.getPrivate());
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static X509Certificate certificate(
      String subject, KeyPair keys, String issuer, PrivateKey issuerKey, boolean ca) throws Exception {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.valueOf(System.nanoTime()),
            Date.from(Instant.now().minus(Duration.ofHours(1))),
            Date.from(Instant.now().plus(Duration.ofDays(7))),
            new X500Name(subject),
            keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (subject.equals("CN=localhost")) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
  }

  static void write(Path file, Object pem) throws IOException {
    try (Writer out = Files.newBufferedWriter(file);
        JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(pem);
    }
  }

  // The run

  /** When each push arrived (nanoTime), by token; the first one only. */
  static final Map<String, Long> ARRIVED = new ConcurrentHashMap<>();

  static final AtomicInteger PUSHES = new AtomicInteger();

  static void run(
      String url, String token, List<String> devices, Path keys, int port, int rate, int seconds, int warmup)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    standIn(vertx, keys, port);
    int warm = rate * warmup;
    int measured = rate * seconds;
    if (devices.size() < warm + measured) {
      throw new IllegalArgumentException(devices.size() + " devices, " + (warm + measured) + " needed");
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    System.out.printf("warm-up: %d s at %d remoteLock/s, not counted%n", warmup, rate);
    paced(client, url, token, devices.subList(0, warm), rate);
    String before = metrics(client, url);
    System.out.printf("measured: %d s at %d remoteLock/s, a device each%n", seconds, rate);
    List<Sent> sent = paced(client, url, token, devices.subList(warm, warm + measured), rate);
    report(sent);
    Thread.sleep(1000); // the last pushes' timer records
    appTimer(before, metrics(client, url));
  }

  /** One request: its device's token, when it was sent and when its 202 came (nanoTime). */
  record Sent(String token, long sentAt, CompletableFuture<Long> answeredAt) {}

  static List<Sent> paced(HttpClient client, String url, String token, List<String> devices, int rate)
      throws Exception {
    List<Sent> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < devices.size(); i++) {
      long wait = start + i * 1_000_000_000L / rate - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String[] device = devices.get(i).split("\t");
      HttpRequest post =
          HttpRequest.newBuilder(URI.create(url + "/api/v1/devices/" + device[0] + "/remoteLock"))
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      long at = System.nanoTime();
      CompletableFuture<Long> answered =
          client
              .sendAsync(post, HttpResponse.BodyHandlers.discarding())
              .thenApply(r -> r.statusCode() == 202 ? System.nanoTime() : -r.statusCode());
      sent.add(new Sent(device[1], at, answered));
    }
    for (Sent s : sent) {
      s.answeredAt().join();
    }
    awaitPushes(sent);
    return sent;
  }

  static void awaitPushes(List<Sent> sent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && sent.stream().anyMatch(s -> !ARRIVED.containsKey(s.token()))) {
      Thread.sleep(50);
    }
  }

  static void report(List<Sent> sent) {
    List<Long> fromAnswer = new ArrayList<>();
    List<Long> fromSend = new ArrayList<>();
    int refused = 0;
    int missing = 0;
    int beforeAnswer = 0;
    for (Sent s : sent) {
      long answered = s.answeredAt().join();
      Long arrived = ARRIVED.get(s.token());
      if (answered < 0) {
        refused++;
      } else if (arrived == null) {
        missing++;
      } else {
        beforeAnswer += arrived < answered ? 1 : 0;
        fromAnswer.add(Math.max(0, arrived - answered));
        fromSend.add(arrived - s.sentAt());
      }
    }
    System.out.printf(
        "requests: %d (not 202: %d), pushes arrived: %d, missing: %d, arrived before the client read"
            + " its 202: %d%n",
        sent.size(), refused, fromAnswer.size(), missing, beforeAnswer);
    System.out.println("push latency, 202 -> push at the stand-in: " + percentiles(fromAnswer));
    System.out.println("request sent -> push at the stand-in:       " + percentiles(fromSend));
  }

  static String percentiles(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "none";
    }
    List<Long> sorted = nanos.stream().sorted().toList();
    return String.format(
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
        at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6, sorted.get(sorted.size() - 1) / 1e6, sorted.size());
  }

  static long at(List<Long> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  // The app's own timer: device_actions_apple_push_delay, commit to the request leaving

  static final Pattern BUCKET =
      Pattern.compile("^device_actions_apple_push_delay_seconds_bucket\\{le=\"([^\"]+)\"} ([0-9.E+]+)$", Pattern.MULTILINE);

  static String metrics(HttpClient client, String url) throws Exception {
    return client
        .send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static TreeMap<Double, Double> buckets(String metrics) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Matcher m = BUCKET.matcher(metrics);
    while (m.find()) {
      double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      buckets.put(le, Double.parseDouble(m.group(2)));
    }
    return buckets;
  }

  /** p50 and p99 of the measured phase, as the upper bound of the histogram bucket they fall in. */
  static void appTimer(String before, String after) {
    TreeMap<Double, Double> b = buckets(before);
    TreeMap<Double, Double> a = buckets(after);
    double total = a.lastEntry().getValue() - b.getOrDefault(a.lastKey(), 0.0);
    System.out.printf(
        "app timer, commit -> push request left (first attempts: %.0f): p50 <= %s ms, p99 <= %s ms%n",
        total, bound(a, b, total * 0.50), bound(a, b, total * 0.99));
  }

  static String bound(TreeMap<Double, Double> after, TreeMap<Double, Double> before, double rank) {
    for (var e : after.entrySet()) {
      if (e.getValue() - before.getOrDefault(e.getKey(), 0.0) >= rank) {
        return e.getKey().isInfinite() ? "inf" : String.format("%.1f", e.getKey() * 1000);
      }
    }
    return "?";
  }

  // The stand-in

  static void standIn(Vertx vertx, Path keys, int port) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setUseAlpn(true)
            .setAlpnVersions(List.of(HttpVersion.HTTP_2))
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(keys.resolve("server.pem").toString())
                    .setKeyPath(keys.resolve("server-key.pem").toString()))
            .setTrustOptions(new PemTrustOptions().addCertPath(keys.resolve("push-ca.pem").toString()))
            .setClientAuth(ClientAuth.REQUIRED);
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(ApnsBench::arrived)
            .listen(port, "localhost")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    System.out.println("APNs stand-in on https://localhost:" + server.actualPort());
  }

  static void arrived(HttpServerRequest request) {
    long at = System.nanoTime();
    String path = request.path();
    ARRIVED.putIfAbsent(path.substring(path.lastIndexOf('/') + 1), at);
    PUSHES.incrementAndGet();
    request.body(body -> request.response().setStatusCode(200).end());
  }
}
