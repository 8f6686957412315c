import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event stream's benchmark (JDK only; load.sh's "events" section runs it).
 *
 * <pre>
 *   sink PORT FILE                        a local sink: answers 202 at once and appends one line per event
 *                                         (arrival ms, ce-id, ce-subject, ce-type, ce-time, bulkActionId)
 *   bulk URL TOKEN FLEET FILE             one bulk rebootNow for the fleet; events/s the relay delivered
 *   paced URL TOKEN FLEET FILE RATE SECS  rebootNow at RATE/s (open loop); commit-to-delivery p50/p99
 * </pre>
 */
public class EventsBench {
  static final Pattern BULK = Pattern.compile("\"bulkActionId\":\"([0-9a-f-]{36})\"");

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "sink" -> sink(Integer.parseInt(args[1]), Path.of(args[2]));
      case "bulk" -> bulk(args[1], args[2], fleet(args[3]), Path.of(args[4]));
      case "paced" ->
          paced(
              args[1],
              args[2],
              fleet(args[3]),
              Path.of(args[4]),
              Integer.parseInt(args[5]),
              Integer.parseInt(args[6]));
      default -> throw new IllegalArgumentException(args[0]);
    }
    if (!args[0].equals("sink")) {
      System.exit(0); // the HTTP client's threads would keep the JVM up
    }
  }

  /** One event as the sink logged it. */
  record Arrival(long atMillis, String id, String subject, String type, long ceTimeMillis, String bulk) {
    static Arrival parse(String line) {
      String[] f = line.split("\t");
      return new Arrival(
          Long.parseLong(f[0]), f[1], f[2], f[3], OffsetDateTime.parse(f[4]).toInstant().toEpochMilli(), f[5]);
    }
  }

  static void sink(int port, Path file) throws IOException {
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.createContext(
        "/events",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          log(out, exchange, body);
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(8));
    Executors.newSingleThreadScheduledExecutor()
        .scheduleWithFixedDelay(() -> flush(out), 50, 50, TimeUnit.MILLISECONDS);
    server.start();
    System.out.println("sink listening on " + port);
  }

  private static void log(BufferedWriter out, HttpExchange exchange, String body) {
    var h = exchange.getRequestHeaders();
    Matcher bulk = BULK.matcher(body);
    String line =
        String.join(
            "\t",
            Long.toString(System.currentTimeMillis()),
            h.getFirst("ce-id"),
            h.getFirst("ce-subject"),
            h.getFirst("ce-type"),
            h.getFirst("ce-time"),
            bulk.find() ? bulk.group(1) : "-");
    synchronized (out) {
      try {
        out.write(line);
        out.newLine();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void flush(BufferedWriter out) {
    synchronized (out) {
      try {
        out.flush();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static void bulk(String url, String token, List<String> fleet, Path file) throws Exception {
    String body =
        "{\"action\":\"rebootNow\",\"deviceIds\":[\"" + String.join("\",\"", fleet) + "\"]}";
    HttpResponse<String> r =
        client()
            .send(
                request(url + "/api/v1/device-actions/bulk", token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    long answered = System.currentTimeMillis();
    Matcher m = BULK.matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException("bulk: " + r.statusCode() + " " + r.body());
    }
    String bulkId = m.group(1);
    int accepted = r.body().split("\"successfulDeviceIds\":\\[")[1].split("]")[0].split(",").length;
    List<Arrival> arrived = awaitArrivals(file, a -> bulkId.equals(a.bulk()), accepted, 120);
    long first = arrived.stream().mapToLong(Arrival::atMillis).min().orElse(answered);
    long last = arrived.stream().mapToLong(Arrival::atMillis).max().orElse(answered);
    System.out.printf(
        "bulk: %d events delivered in %d ms (first to last arrival): %.0f events/s; the last %d ms"
            + " after the bulk answered%n",
        arrived.size(), last - first, arrived.size() * 1000.0 / Math.max(1, last - first), last - answered);
  }

  static void paced(String url, String token, List<String> fleet, Path file, int rate, int seconds)
      throws Exception {
    HttpClient client = client();
    Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    List<java.util.concurrent.CompletableFuture<?>> sent = new ArrayList<>();
    long start = System.nanoTime();
    int total = rate * seconds;
    for (int i = 0; i < total; i++) {
      long due = start + i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String device = fleet.get(i % fleet.size());
      HttpRequest post =
          request(url + "/api/v1/devices/" + device + "/rebootNow", token)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      sent.add(
          client
              .sendAsync(post, HttpResponse.BodyHandlers.ofString())
              .thenAccept(r -> answered(r, answeredAt)));
    }
    for (var f : sent) {
      f.join();
    }
    List<Arrival> arrived =
        awaitArrivals(file, a -> answeredAt.containsKey(a.subject()), answeredAt.size(), 60);
    List<Long> fromChange = new ArrayList<>();
    List<Long> fromAnswer = new ArrayList<>();
    for (Arrival a : arrived) {
      fromChange.add(a.atMillis() - a.ceTimeMillis());
      fromAnswer.add(a.atMillis() - answeredAt.get(a.subject()));
    }
    System.out.printf(
        "paced: %d rebootNow at %d/s for %d s (%d answered 202); delivery from ce-time %s; from the"
            + " client's 202 %s%n",
        total, rate, seconds, answeredAt.size(), percentiles(fromChange), percentiles(fromAnswer));
  }

  private static void answered(HttpResponse<String> r, Map<String, Long> answeredAt) {
    Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(r.body());
    if (r.statusCode() == 202 && id.find()) {
      answeredAt.put(id.group(1), System.currentTimeMillis());
    }
  }

  private static List<Arrival> awaitArrivals(
      Path file, java.util.function.Predicate<Arrival> which, int count, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Arrival> matching;
    do {
      Thread.sleep(200);
      matching =
          Files.readAllLines(file).stream()
              .filter(l -> l.split("\t").length == 6)
              .map(Arrival::parse)
              .filter(which)
              .toList();
    } while (matching.stream().map(Arrival::id).distinct().count() < count
        && System.nanoTime() < deadline);
    if (matching.size() < count) {
      System.out.printf("MISSING: %d of %d events never arrived%n", count - matching.size(), count);
    }
    return matching;
  }

  static String percentiles(List<Long> millis) {
    if (millis.isEmpty()) {
      return "no samples";
    }
    List<Long> s = millis.stream().sorted().toList();
    return String.format(
        "p50 %d ms, p99 %d ms, max %d ms",
        s.get(s.size() / 2), s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)), s.getLast());
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(4))
        .build();
  }

  private static HttpRequest.Builder request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
  }

  /** The fleet's devices that support rebootNow (load.sh's fleet.tsv: id, platform, token, actions). */
  static List<String> fleet(String file) throws IOException {
    return Files.readAllLines(Path.of(file)).stream()
        .map(l -> l.split("\t"))
        .filter(f -> f.length >= 4 && f[3].contains("rebootNow"))
        .map(f -> f[0])
        .toList();
  }
}
