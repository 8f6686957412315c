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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up benchmark (run by startup.sh; JDK only, `java StartupBench.java`). For each run it starts a
 * process and times from process start to the first 200 of a request, then reads the process's RSS
 * from /proc. The app answers GET /api/v1/devices (database-backed, with a valid token); the bare
 * hello answers GET /hello; the stack's floor (src/bench/floor: the app's Quarkus extensions, one
 * entity, one endpoint and none of the app's code) answers GET /devices, database-backed and with the
 * same token, and so does its core (only the fixed stack, Flyway and the token check). All are
 * measured in the same run, alternately, in three ways each: no
 * AOT cache; the AOT cache their build wrote (start-up only); and an AOT cache from a training run
 * that also served 50 requests, written here first. Given native binaries instead of jars, it runs
 * them, in one way. It also times the one-shot `sweep` command. Every start prints Quarkus' own
 * step times (quarkus.debug.print-startup-times), and the slowest steps of the first way are listed
 * with their medians: where the start goes.
 */
public class StartupBench {
  /** One start: to the first 200, the RSS then, Quarkus' "started in" and its steps' times. */
  record Sample(double seconds, long rssKib, double startedIn, Map<String, Integer> stepsMs) {}

  /** How a target is started: without an AOT cache (file null), or with the named one beside its jar. */
  record Variant(String name, String cacheFile) {}

  static final int TRAINING_REQUESTS = 50;

  /** Where both listen: not Quarkus' default 8080, which a dev-mode instance on the machine may hold. */
  static final int HTTP_PORT = 18090;

  static final String PRINT_STARTUP_TIMES = "quarkus.debug.print-startup-times";

  static final Pattern STEP = Pattern.compile("Build step (\\S+) completed in: (\\d+)ms");

  static final Pattern STARTED = Pattern.compile("started in (\\d+\\.\\d+)s");

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    Path appJar = Path.of(args[1]);
    Path helloJar = Path.of(args[2]);
    int dbPort = Integer.parseInt(args[3]);
    Path keys = Path.of(args[4]);
    Path floorJar = Path.of(args[5]);
    Path coreJar = Path.of(args[6]);
    String token = token(keys.resolve("jwt-private.pem"));
    Map<String, String> env = appEnv(dbPort, Files.readString(keys.resolve("jwt-public.pem")));
    boolean isNative = !appJar.toString().endsWith(".jar");
    String kind = isNative ? "native" : "JVM";
    Target app = new Target("app", "device-actions " + kind + ", GET /api/v1/devices", appJar, env,
        "/api/v1/devices", token);
    Target hello = new Target("hello", "bare Quarkus REST hello " + kind + ", GET /hello", helloJar,
        Map.of("QUARKUS_HTTP_PORT", String.valueOf(HTTP_PORT)), "/hello", null);
    Target floor = new Target("floor", "the stack's floor " + kind + ", GET /devices", floorJar, env, "/devices",
        token);
    Target core = new Target("core", "its core (fixed stack, Flyway, token check) " + kind + ", GET /devices",
        coreJar, env, "/devices", token);
    List<Target> targets = List.of(app, floor, core, hello);
    List<Variant> variants;
    if (isNative) {
      variants = List.of(new Variant("native binary", null));
    } else {
      for (Target target : targets) {
        target.train();
      }
      variants = List.of(new Variant("no AOT cache", null),
          new Variant("AOT cache from the build", "app.aot"),
          new Variant("AOT cache from a training run", "trained.aot"));
    }
    Map<String, List<Sample>> samples = new HashMap<>();
    List<Double> sweep = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      StringBuilder line = new StringBuilder("run " + (i + 1) + ":");
      for (Variant variant : variants) {
        for (Target target : targets) {
          Sample sample = target.start(variant);
          samples.computeIfAbsent(target.name + variant.name, k -> new ArrayList<>()).add(sample);
          line.append(String.format(" %s/%s %.3f s %d MiB;", target.label, variant.name, sample.seconds(),
              sample.rssKib() / 1024));
        }
      }
      sweep.add(commandSeconds(app.launcher(null, "sweep"), env));
      System.err.println(line + String.format(" sweep %.3f s", sweep.getLast()));
    }
    System.out.printf("machine: %d cores, %d MiB memory, %s%n", Runtime.getRuntime().availableProcessors(),
        memTotalMib(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.printf("runs: %d each, medians%n", runs);
    System.out.printf("| what | start to first 200 | RSS after it |%n|---|---|---|%n");
    for (Variant variant : variants) {
      Map<Target, Double> time = new HashMap<>();
      Map<Target, Double> rss = new HashMap<>();
      for (Target target : targets) {
        time.put(target, median(seconds(samples.get(target.name + variant.name))));
        rss.put(target, median(mib(samples.get(target.name + variant.name))));
        System.out.printf("| %s, %s | %.3f s | %.0f MiB |%n", target.name, variant.name, time.get(target),
            rss.get(target));
      }
      ratio("app / hello", variant, app, hello, time, rss);
      ratio("floor / hello", variant, floor, hello, time, rss);
      ratio("core / hello", variant, core, hello, time, rss);
      ratio("app / floor", variant, app, floor, time, rss);
    }
    System.out.printf("| one-shot sweep command, start to exit, %s | %.3f s | |%n", variants.getFirst().name(),
        median(sweep));
    for (Target target : targets) {
      steps(target.name, samples.get(target.name + variants.getFirst().name()));
    }
  }

  static void ratio(String name, Variant variant, Target over, Target under, Map<Target, Double> time,
      Map<Target, Double> rss) {
    System.out.printf("| ratio %s, %s | %.2f | %.2f |%n", name, variant.name, time.get(over) / time.get(under),
        rss.get(over) / rss.get(under));
  }

  static final int STEPS_LISTED = 15;

  /** Quarkus' "started in" and its slowest steps, medians over the runs of the first way. */
  static void steps(String name, List<Sample> samples) {
    Map<String, List<Double>> byStep = new HashMap<>();
    for (Sample sample : samples) {
      sample.stepsMs().forEach((step, ms) -> byStep.computeIfAbsent(step, k -> new ArrayList<>()).add((double) ms));
    }
    System.out.printf("%n%s: Quarkus' \"started in\" %.3f s (median); its slowest steps, median ms:%n", name,
        median(samples.stream().map(Sample::startedIn).toList()));
    byStep.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), median(e.getValue())))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(STEPS_LISTED)
        .forEach(e -> System.out.printf("  %6.0f  %s%n", e.getValue(), e.getKey()));
  }

  /** One application under test: how to start it and what to ask it; label names it in the run lines. */
  record Target(String label, String name, Path jar, Map<String, String> env, String path, String token) {
    Sample start(Variant variant) throws Exception {
      return startToFirst200(launcher(variant.cacheFile(), "-D" + PRINT_STARTUP_TIMES + "=true"), env, path,
          token, 0);
    }

    /** The command that starts it: a native binary itself, or a jar, with the named AOT cache if any. */
    List<String> launcher(String cacheFile, String argument) {
      if (!jar.toString().endsWith(".jar")) {
        return List.of(jar.toString(), argument); // a native binary takes -D system properties as arguments
      }
      List<String> command = new ArrayList<>(List.of(java()));
      if (cacheFile != null) {
        // AOTMode=on: fail rather than silently start without a cache that does not fit.
        command.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache(jar, cacheFile)));
      }
      if (argument.startsWith("-D")) {
        command.add(argument);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
      } else {
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), argument));
      }
      return command;
    }

    /** Writes trained.aot beside the jar: a run that starts, serves TRAINING_REQUESTS and stops. */
    void train() throws Exception {
      Path output = cache(jar, "trained.aot");
      Files.deleteIfExists(output);
      startToFirst200(List.of(java(), "-XX:AOTCacheOutput=" + output, "-jar", jar.toAbsolutePath().toString()), env,
          path, token,
          TRAINING_REQUESTS);
      if (!Files.exists(output)) {
        throw new IllegalStateException("the training run wrote no " + output);
      }
    }
  }

  /**
   * A jar's own directory, where its process starts: the AOT cache that the build wrote records the
   * class path relative to it (quarkus-run.jar, lib/...), and the JVM refuses the cache elsewhere.
   * Null (this process' directory) for a native binary.
   */
  static java.io.File directoryOf(List<String> command) {
    int jar = command.indexOf("-jar");
    return jar < 0 ? null : Path.of(command.get(jar + 1)).getParent().toFile();
  }

  static Path cache(Path jar, String file) {
    return jar.toAbsolutePath().getParent().resolve(file);
  }

  static List<Double> seconds(List<Sample> samples) {
    return samples.stream().map(Sample::seconds).toList();
  }

  static List<Double> mib(List<Sample> samples) {
    return samples.stream().map(s -> (double) s.rssKib() / 1024).toList();
  }

  /**
   * Starts the command, times its first 200 on path, then sends {@code more} requests and stops it. Its
   * output goes to a file, read for Quarkus' step times once it has stopped.
   */
  static Sample startToFirst200(List<String> command, Map<String, String> env, String path, String token,
      int more) throws Exception {
    Path output = Files.createTempFile("startup", ".log");
    try {
      Sample timed = startToFirst200(command, env, path, token, more, output);
      String log = Files.readString(output);
      Map<String, Integer> steps = new HashMap<>();
      Matcher step = STEP.matcher(log);
      while (step.find()) {
        steps.merge(step.group(1), Integer.parseInt(step.group(2)), Integer::sum);
      }
      Matcher started = STARTED.matcher(log);
      double startedIn = started.find() ? Double.parseDouble(started.group(1)) : Double.NaN;
      return new Sample(timed.seconds(), timed.rssKib(), startedIn, steps);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  static Sample startToFirst200(List<String> command, Map<String, String> env, String path, String token,
      int more, Path output) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directoryOf(command)).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().putAll(env);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + HTTP_PORT + path))
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
            Sample sample = new Sample(seconds, rssKib(process.pid()), Double.NaN, Map.of());
            for (int i = 0; i < more; i++) {
              client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            }
            return sample;
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
      process.destroy(); // SIGTERM: a training run writes its AOT cache on the way out
      process.waitFor();
    }
  }

  static double commandSeconds(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directoryOf(command)).redirectErrorStream(true)
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
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("DEVICE_ACTIONS_SECRETS_KEY", "YmVuY2htYXJrLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc=");
    env.put("DEVICE_ACTIONS_SWEEP_EVERY", "off");
    env.put("MP_JWT_VERIFY_PUBLICKEY", publicKey);
    env.put("MP_JWT_VERIFY_ISSUER", "https://device-actions.bench");
    env.put("QUARKUS_HTTP_PORT", String.valueOf(HTTP_PORT));
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
