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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up benchmark (run by startup.sh; JDK only, `java StartupBench.java`). For each run it starts a
 * process and times from process start to the first 200 of a request, then reads the process's RSS
 * from /proc. The app answers GET /api/v1/devices (database-backed, with a valid token); the bare
 * hello answers GET /hello. Both are measured in the same run, alternately, and compared as medians.
 * It also times the one-shot `sweep` command from start to exit.
 */
public class StartupBench {
  record Sample(double seconds, long rssKib) {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    Path appJar = Path.of(args[1]);
    Path helloJar = Path.of(args[2]);
    int dbPort = Integer.parseInt(args[3]);
    Path keys = Path.of(args[4]);
    String token = token(keys.resolve("jwt-private.pem"));
    Map<String, String> env = appEnv(dbPort, Files.readString(keys.resolve("jwt-public.pem")));

    List<Sample> app = new ArrayList<>();
    List<Sample> hello = new ArrayList<>();
    List<Double> sweep = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      app.add(startToFirst200(List.of(java(), "-jar", appJar.toString()), env, "/api/v1/devices", token));
      hello.add(startToFirst200(List.of(java(), "-jar", helloJar.toString()), Map.of(), "/hello", null));
      sweep.add(commandSeconds(List.of(java(), "-jar", appJar.toString(), "sweep"), env));
      System.err.printf("run %d: app %.3f s %d MiB, hello %.3f s %d MiB, sweep %.3f s%n", i + 1,
          app.getLast().seconds(), app.getLast().rssKib() / 1024, hello.getLast().seconds(),
          hello.getLast().rssKib() / 1024, sweep.getLast());
    }
    double appTime = median(app.stream().map(Sample::seconds).toList());
    double helloTime = median(hello.stream().map(Sample::seconds).toList());
    double appRss = median(app.stream().map(s -> (double) s.rssKib() / 1024).toList());
    double helloRss = median(hello.stream().map(s -> (double) s.rssKib() / 1024).toList());
    System.out.printf("machine: %d cores, %d MiB memory, %s%n", Runtime.getRuntime().availableProcessors(),
        memTotalMib(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.printf("runs: %d each, medians%n", runs);
    System.out.printf("| what | start to first 200 | RSS after it |%n|---|---|---|%n");
    System.out.printf("| device-actions JVM, GET /api/v1/devices | %.3f s | %.0f MiB |%n", appTime, appRss);
    System.out.printf("| bare Quarkus REST hello JVM, GET /hello | %.3f s | %.0f MiB |%n", helloTime, helloRss);
    System.out.printf("| ratio app / hello | %.2f | %.2f |%n", appTime / helloTime, appRss / helloRss);
    System.out.printf("| one-shot sweep command, start to exit | %.3f s | |%n", median(sweep));
  }

  static Sample startToFirst200(List<String> command, Map<String, String> env, String path, String token)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:8080" + path))
        .timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    long started = System.nanoTime();
    Process process = builder.start();
    try {
      while (true) {
        try {
          if (client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Sample(seconds, rssKib(process.pid()));
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        if (!process.isAlive()) {
          throw new IllegalStateException("exited with " + process.exitValue() + ": " + command);
        }
        if (System.nanoTime() - started > 120e9) {
          throw new IllegalStateException("no 200 within 120 s: " + command);
        }
        Thread.sleep(5);
      }
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  static double commandSeconds(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    long started = System.nanoTime();
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("sweep exited with " + exit);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  static Map<String, String> appEnv(int dbPort, String publicKey) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + dbPort + "/postgres");
    env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + dbPort + "/postgres");
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("DEVICE_ACTIONS_SECRETS_KEY", "YmVuY2htYXJrLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc=");
    env.put("DEVICE_ACTIONS_SWEEP_EVERY", "off");
    env.put("MP_JWT_VERIFY_PUBLICKEY", publicKey);
    env.put("MP_JWT_VERIFY_ISSUER", "https://device-actions.bench");
    return env;
  }

  /** An RS256 JWT with role devices.read, signed with the given PKCS#8 key, valid for an hour. */
  static String token(Path privateKeyPem) throws Exception {
    String pem = Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    long now = System.currentTimeMillis() / 1000;
    String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
    String claims = b64("{\"iss\":\"https://device-actions.bench\",\"upn\":\"bench\",\"groups\":[\"devices.read\"],"
        + "\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}");
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static long memTotalMib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
