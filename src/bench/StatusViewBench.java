import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Status-view latency (run by load.sh; JDK only): for each query of a file of lines
 * {@code shape<TAB>query string}, times the first page of GET /api/v1/device-actions and then
 * follows nextCursor for up to PAGES more pages, one request at a time. Every query runs once
 * untimed first (JIT, PostgreSQL buffers). Prints, per shape, p50/p99 of first pages and of cursor
 * pages, and the rows per page. Usage: java StatusViewBench.java URL TOKEN QUERIES_FILE PAGES
 */
public class StatusViewBench {
  static final Pattern NEXT = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
  static final Pattern ITEM = Pattern.compile("\"deviceId\"");

  record Timing(double millis, int rows, String next) {}

  final HttpClient http = HttpClient.newHttpClient();
  final String url;
  final String token;

  StatusViewBench(String url, String token) {
    this.url = url;
    this.token = token;
  }

  public static void main(String[] args) throws Exception {
    StatusViewBench bench = new StatusViewBench(args[0], args[1]);
    int pages = Integer.parseInt(args[3]);
    Map<String, List<String>> shapes = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      String[] f = line.split("\t", 2);
      shapes.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
    }
    System.out.println("| query (limit 100) | first page p50 / p99 | cursor pages p50 / p99 | rows per page | pages |");
    System.out.println("|---|---|---|---|---|");
    for (var shape : shapes.entrySet()) {
      for (String query : shape.getValue()) {
        bench.walk(query, pages); // untimed warm-up of this query
      }
      List<Double> first = new ArrayList<>();
      List<Double> next = new ArrayList<>();
      long rows = 0;
      for (String query : shape.getValue()) {
        List<Timing> walk = bench.walk(query, pages);
        first.add(walk.getFirst().millis());
        walk.subList(1, walk.size()).forEach(t -> next.add(t.millis()));
        rows += walk.stream().mapToInt(Timing::rows).sum();
      }
      int count = first.size() + next.size();
      System.out.printf("| %s | %s | %s | %.0f | %d |%n", shape.getKey(), percentiles(first),
          next.isEmpty() ? "-" : percentiles(next), (double) rows / count, count);
    }
  }

  /** The first page of the query and up to {@code pages} more, following nextCursor. */
  List<Timing> walk(String query, int pages) throws Exception {
    List<Timing> walk = new ArrayList<>();
    Timing page = page(query);
    walk.add(page);
    while (page.next() != null && walk.size() <= pages) {
      page = page(query + "&cursor=" + page.next());
      walk.add(page);
    }
    return walk;
  }

  Timing page(String query) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/device-actions?" + query))
        .header("Authorization", "Bearer " + token)
        .build();
    long started = System.nanoTime();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    double millis = (System.nanoTime() - started) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(query + " answered " + r.statusCode() + ": " + r.body());
    }
    Matcher next = NEXT.matcher(r.body());
    return new Timing(millis, (int) ITEM.matcher(r.body()).results().count(), next.find() ? next.group(1) : null);
  }

  static String percentiles(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return String.format("%.1f / %.1f ms", at(sorted, 0.50), at(sorted, 0.99));
  }

  static double at(List<Double> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1)));
  }
}
