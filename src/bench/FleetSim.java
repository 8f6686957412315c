import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device fleet simulator: a real client of the agent API (JDK only: {@code java FleetSim.java}). It
 * enrolls N devices with a realistic platform mix (or loads a saved fleet), then runs them as
 * agents: jittered periodic check-ins on an open schedule, and answers to each command the way the
 * platform would. Macs report a lock done and later that they were unlocked with the recovery PIN;
 * restarts report done after a delay or never; some commands are postponed with notNow. Optionally
 * it also plays the admin, requesting random supported actions at a given rate, and measures the
 * delay from each 202 to the device holding the command. Prints a summary.
 */
public class FleetSim {
  static final String USAGE =
      """
      usage: java src/bench/FleetSim.java [options]
        --url URL            the app (default http://localhost:8080, dev mode)
        --token JWT          admin token; default: minted with --key, else GET <url>/dev/token (dev mode)
        --key PEM --issuer I sign admin tokens with this PKCS#8 key for this issuer
        --devices N          devices to enroll (default 50)
        --load FILE          run the fleet saved in FILE instead of enrolling one
        --save FILE          save the enrolled fleet (id, platform, token, supported actions) as TSV
        --interval D         mean check-in interval per device, jittered +-50% (default 10s)
        --wait N             waiting check-ins (Prefer: wait=N seconds) instead of polling: each agent checks in
                             again as soon as it is answered; an answer the server did not hold (no
                             Preference-Applied) is followed by a pause of --interval
        --admin-url URL      where the admin requests actions (default --url): another instance on the
                             same database, to measure the wake-up across instances
        --concurrency C      requests in flight at most (default 32)
        --duration D         how long the agents run; 0 = enroll only (default 60s)
        --act-rate R         admin action requests per second on random devices (default 0)
        --act-after D        start the admin requests this long after the agents (default 0)
        --act-for D          stop them after this long (default: until the end)
        --not-now F          share of commands answered notNow (default 0.1)
        --restart-lost F     share of restarts that never report (default 0.1)
        --restart-delay D    mean time a restart takes before it reports done (default 20s)
        --unlock-delay D     mean time before a locked Mac is unlocked with its PIN (default 60s)
        --seed S             random seed of the fleet and its behaviour (default 1)
        --print-token        print an admin token (needs --key and --issuer) and exit
      durations: 500ms, 10s, 5m
      """;

  /** One enrolled device as the agent knows it. */
  record Device(String id, String platform, String token, List<String> supported) {}

  final Map<String, String> opt;
  final String url;
  final String adminUrl;
  final int waitSeconds;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
  final ExecutorService agents = Executors.newVirtualThreadPerTaskExecutor();
  final Semaphore inFlight;
  final Random random;
  final Stats stats = new Stats();
  volatile boolean running = true;
  String adminToken;

  FleetSim(Map<String, String> opt) {
    this.opt = opt;
    this.url = opt.getOrDefault("url", "http://localhost:8080");
    this.adminUrl = opt.getOrDefault("admin-url", url);
    this.waitSeconds = Integer.parseInt(opt.getOrDefault("wait", "0"));
    this.inFlight = new Semaphore(Integer.parseInt(opt.getOrDefault("concurrency", "32")));
    this.random = new Random(Long.parseLong(opt.getOrDefault("seed", "1")));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    if (opt.containsKey("print-token")) {
      System.out.println(token(Path.of(opt.get("key")), opt.get("issuer")));
      return;
    }
    FleetSim sim = new FleetSim(opt);
    sim.adminToken = sim.adminToken();
    List<Device> fleet = opt.containsKey("load") ? load(Path.of(opt.get("load"))) : sim.enroll();
    if (opt.containsKey("save")) {
      save(fleet, Path.of(opt.get("save")));
    }
    Duration duration = duration(opt.getOrDefault("duration", "60s"));
    if (!duration.isZero()) {
      sim.run(fleet, duration);
    }
    sim.clock.shutdownNow();
    sim.agents.shutdownNow();
  }

  // ---- enrollment -------------------------------------------------------------------------

  List<Device> enroll() throws Exception {
    int n = Integer.parseInt(opt.getOrDefault("devices", "50"));
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bodies.add(Fleet.enrollment(random, i));
    }
    long started = System.nanoTime();
    List<java.util.concurrent.Future<Device>> calls = new ArrayList<>();
    for (String body : bodies) {
      calls.add(agents.submit(() -> enrollOne(body)));
    }
    List<Device> fleet = new ArrayList<>();
    for (var call : calls) {
      Device d = call.get();
      if (d != null) {
        fleet.add(d);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "enrolled: %d of %d devices in %.1f s (%.0f/s): %s%n",
        fleet.size(), n, seconds, fleet.size() / seconds, platformMix(fleet));
    return fleet;
  }

  Device enrollOne(String body) {
    HttpResponse<String> r = send("enroll", post("/api/v1/devices", adminToken, body));
    if (r == null || r.statusCode() != 201) {
      return null;
    }
    String json = r.body();
    return new Device(
        Json.string(json, "id"),
        Json.string(json, "platform"),
        Json.string(json, "deviceToken"),
        Json.strings(json, "supportedActions"));
  }

  // ---- the agents -------------------------------------------------------------------------

  void run(List<Device> fleet, Duration duration) throws Exception {
    long interval = duration(opt.getOrDefault("interval", "10s")).toNanos();
    long started = System.nanoTime();
    for (Device d : fleet) {
      long first = started + (long) (random.nextDouble() * interval);
      if (waitSeconds > 0) {
        clock.schedule(
            () -> agents.submit(() -> holdCheckins(d, interval)),
            first - System.nanoTime(),
            TimeUnit.NANOSECONDS);
      } else {
        // An open schedule: each check-in is due at a time fixed in advance, whether or not the
        // app kept up, so a slow app shows as lag instead of as fewer, politer requests.
        scheduleCheckin(d, first, interval);
      }
    }
    double rate = Double.parseDouble(opt.getOrDefault("act-rate", "0"));
    if (rate > 0) {
      long every = (long) (1e9 / rate);
      long after = duration(opt.getOrDefault("act-after", "0s")).toNanos();
      long until =
          opt.containsKey("act-for")
              ? started + after + duration(opt.get("act-for")).toNanos()
              : Long.MAX_VALUE;
      clock.scheduleAtFixedRate(
          () -> {
            if (System.nanoTime() < until) {
              agents.submit(() -> requestAction(fleet));
            }
          },
          after + every,
          every,
          TimeUnit.NANOSECONDS);
    }
    Thread.sleep(duration.toMillis());
    running = false;
    double seconds = (System.nanoTime() - started) / 1e9;
    // Let requests in flight finish so that the summary counts their answers.
    inFlight.tryAcquire(Integer.parseInt(opt.getOrDefault("concurrency", "32")), 10, TimeUnit.SECONDS);
    stats.print(fleet, seconds, opt, interval / 1e9);
  }

  void scheduleCheckin(Device d, long dueNanos, long interval) {
    clock.schedule(
        () ->
            agents.submit(
                () -> {
                  if (!running) {
                    return;
                  }
                  long next = dueNanos + (long) (interval * (0.5 + ThreadLocalRandom.current().nextDouble()));
                  scheduleCheckin(d, next, interval);
                  checkin(d, dueNanos);
                }),
        dueNanos - System.nanoTime(),
        TimeUnit.NANOSECONDS);
  }

  void checkin(Device d, long dueNanos) {
    HttpResponse<String> r = send("checkin", post("/agent/v1/checkin", d.token(), "{}"), dueNanos);
    if (r == null || r.statusCode() != 200) {
      return;
    }
    received(d, r);
  }

  void received(Device d, HttpResponse<String> r) {
    long now = System.nanoTime();
    for (Map<String, String> command : Json.objects(r.body(), "commands")) {
      stats.delivered(command.get("actionId"), now);
      stats.commands.computeIfAbsent(command.get("action"), k -> new LongAdder()).increment();
      answer(d, command.get("actionId"), command.get("action"));
    }
  }

  /**
   * The agent of --wait: one waiting check-in after the other. A held check-in is an idle
   * connection, so it does not count against --concurrency.
   */
  void holdCheckins(Device d, long interval) {
    while (running) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + "/agent/v1/checkin"))
              .timeout(Duration.ofSeconds(waitSeconds + 30))
              .header("Authorization", "Bearer " + d.token())
              .header("Prefer", "wait=" + waitSeconds)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      long sent = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        stats.held(r.headers().firstValue("Preference-Applied").isPresent(), System.nanoTime() - sent);
        if (r.statusCode() != 200) {
          stats.error("waiting checkin " + r.statusCode() + " " + Json.string(r.body(), "code"));
        } else {
          received(d, r);
        }
        if (r.statusCode() != 200 || r.headers().firstValue("Preference-Applied").isEmpty()) {
          Thread.sleep(Duration.ofNanos(interval));
        }
      } catch (IOException e) {
        stats.error("waiting checkin " + e.getClass().getSimpleName());
        pause(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the platform does with a command; the server has already checked that it is supported. */
  void answer(Device d, String actionId, String action) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (r.nextDouble() < fraction("not-now", 0.1)) {
      result(d, actionId, "notNow", null);
      return;
    }
    if (r.nextDouble() < 0.02) {
      result(d, actionId, "failed", "The device reported an MDM command error.");
      return;
    }
    switch (action) {
      case "rebootNow" -> {
        if (r.nextDouble() >= fraction("restart-lost", 0.1)) {
          later("restart-delay", "20s", () -> result(d, actionId, "done", null));
        }
      }
      case "remoteLock" -> {
        result(d, actionId, "done", null);
        if (d.platform().equals("macOS")) {
          later("unlock-delay", "60s", () -> unlocked(d));
        }
      }
      case "resetPin" -> result(d, actionId, "done", String.format("%06d", r.nextInt(1_000_000)));
      default -> result(d, actionId, "done", null);
    }
  }

  void result(Device d, String actionId, String status, String detailOrPin) {
    String extra =
        detailOrPin == null
            ? ""
            : status.equals("done") ? ",\"newPin\":\"" + detailOrPin + "\"" : ",\"detail\":\"" + detailOrPin + "\"";
    String body = "{\"status\":\"" + status + "\"" + extra + "}";
    HttpResponse<String> r =
        send("result", post("/agent/v1/actions/" + actionId + "/result", d.token(), body));
    if (r != null && r.statusCode() == 204) {
      stats.results.computeIfAbsent(status, k -> new LongAdder()).increment();
    }
  }

  void unlocked(Device d) {
    String body = "{\"type\":\"unlockedWithRecoveryPin\"}";
    HttpResponse<String> r = send("event", post("/agent/v1/events", d.token(), body));
    if (r != null && r.statusCode() == 204) {
      stats.events.increment();
    }
  }

  /** Runs {@code task} after an exponentially distributed delay of the given mean. */
  void later(String key, String mean, Runnable task) {
    double meanNanos = duration(opt.getOrDefault(key, mean)).toNanos();
    long delay = (long) (-meanNanos * Math.log(1 - ThreadLocalRandom.current().nextDouble()));
    clock.schedule(
        () -> agents.submit(() -> {
          if (running) {
            task.run();
          }
        }),
        delay,
        TimeUnit.NANOSECONDS);
  }

  /** The admin side: one action, chosen from what the device supports, on a random device. */
  void requestAction(List<Device> fleet) {
    if (!running) {
      return;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    Device d = fleet.get(r.nextInt(fleet.size()));
    if (d.supported().isEmpty()) {
      return;
    }
    String action = d.supported().get(r.nextInt(d.supported().size()));
    HttpResponse<String> response =
        send("action", post(adminUrl, "/api/v1/devices/" + d.id() + "/" + action, adminToken, null));
    if (response != null && response.statusCode() == 202) {
      stats.accepted(Json.string(response.body(), "id"), System.nanoTime());
    }
    if (response != null) {
      stats.actions.computeIfAbsent(action + " " + response.statusCode(), k -> new LongAdder()).increment();
    }
  }

  // ---- HTTP -------------------------------------------------------------------------------

  /** A POST with a JSON body, or with none when {@code json} is null. */
  HttpRequest post(String path, String bearer, String json) {
    return post(url, path, bearer, json);
  }

  HttpRequest post(String base, String path, String bearer, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer);
    if (json == null) {
      return b.POST(HttpRequest.BodyPublishers.noBody()).build();
    }
    return b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  HttpResponse<String> send(String what, HttpRequest request) {
    return send(what, request, System.nanoTime());
  }

  /**
   * Sends at most {@code concurrency} requests at once. Records the service time (send to answer)
   * and, for check-ins, the response time from when the request was due: queueing included.
   */
  HttpResponse<String> send(String what, HttpRequest request, long dueNanos) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    long sent = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      long done = System.nanoTime();
      stats.latency(what, done - sent, done - dueNanos);
      if (r.statusCode() >= 300) {
        stats.error(what + " " + r.statusCode() + " " + Json.string(r.body(), "code"));
      }
      return r;
    } catch (IOException e) {
      stats.error(what + " " + e.getClass().getSimpleName());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      inFlight.release();
    }
  }

  String adminToken() throws Exception {
    if (opt.containsKey("token")) {
      return opt.get("token");
    }
    if (opt.containsKey("key")) {
      return token(Path.of(opt.get("key")), opt.get("issuer"));
    }
    HttpRequest dev = HttpRequest.newBuilder(URI.create(url + "/dev/token")).build();
    HttpResponse<String> r = http.send(dev, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          url + "/dev/token answered " + r.statusCode() + ": not dev mode; pass --token or --key");
    }
    return r.body().trim();
  }

  /** An RS256 admin JWT signed with the given PKCS#8 key, valid for three hours. */
  static String token(Path privateKeyPem, String issuer) throws Exception {
    String pem = Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    long now = System.currentTimeMillis() / 1000;
    String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
    String claims =
        b64("{\"iss\":\"" + issuer + "\",\"upn\":\"fleet-sim\",\"groups\":[\"admin\"],\"iat\":" + now
            + ",\"exp\":" + (now + 3 * 3600) + "}");
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  // ---- fleet files, options ---------------------------------------------------------------

  static void save(List<Device> fleet, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Device d : fleet) {
      lines.add(d.id() + "\t" + d.platform() + "\t" + d.token() + "\t" + String.join(",", d.supported()));
    }
    Files.write(file, lines);
  }

  static List<Device> load(Path file) throws IOException {
    List<Device> fleet = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t", -1);
      fleet.add(new Device(f[0], f[1], f[2], f[3].isEmpty() ? List.of() : List.of(f[3].split(","))));
    }
    return fleet;
  }

  static String platformMix(List<Device> fleet) {
    Map<String, Integer> mix = new TreeMap<>();
    fleet.forEach(d -> mix.merge(d.platform(), 1, Integer::sum));
    return mix.toString();
  }

  double fraction(String key, double fallback) {
    return Double.parseDouble(opt.getOrDefault(key, String.valueOf(fallback)));
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || args[i].equals("--help")) {
        System.err.print(USAGE);
        System.exit(args[i].equals("--help") ? 0 : 2);
      }
      String name = args[i].substring(2);
      boolean flag = name.equals("print-token");
      opt.put(name, flag ? "true" : args[++i]);
    }
    return opt;
  }

  static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(text.trim());
    if (text.trim().equals("0")) {
      return Duration.ZERO;
    }
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + text + " (use 500ms, 10s, 5m, 1h)");
    }
    double n = Double.parseDouble(m.group(1));
    long millis =
        switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1000;
          case "m" -> 60_000;
          default -> 3_600_000;
        };
    return Duration.ofMillis((long) (n * millis));
  }

  // ---- the fleet's make-up ----------------------------------------------------------------

  /** A platform mix like a mid-size company's: mostly Windows PCs and phones, some Macs. */
  static final class Fleet {
    static String enrollment(Random r, int i) {
      double p = r.nextDouble();
      boolean passcode = r.nextDouble() < 0.9;
      String serial = String.format("SIM%08d", i);
      if (p < 0.40) {
        String os = pick(r, "10.0", 90, "6.3", 7, "6.1", 3);
        return body("PC-" + i, "windows", os, null, false, passcode, r.nextDouble() < 0.6, serial);
      } else if (p < 0.62) {
        return body("iPhone-" + i, "iOS", pick(r, "17.4", 60, "16.7.5", 30, "15.8", 10), null,
            r.nextDouble() < 0.55, passcode, false, serial);
      } else if (p < 0.82) {
        String mode = pick(r, "fullyManaged", 35, "workProfilePersonal", 25, "workProfileCorporate", 20,
            "dedicated", 10, "deviceAdministrator", 10);
        String os = mode.equals("deviceAdministrator") ? pick(r, "6.0.1", 50, "7.1.2", 50)
            : pick(r, "14", 40, "13", 30, "12", 15, "10", 10, "7.1.2", 5);
        return body("Android-" + i, "android", os, mode, false, passcode, false, serial);
      } else if (p < 0.94) {
        return body("Mac-" + i, "macOS", pick(r, "14.2", 60, "13.6", 30, "12.7", 10), null, false, passcode,
            false, serial);
      } else if (p < 0.99) {
        return body("iPad-" + i, "iPadOS", pick(r, "17.4", 70, "16.7", 30), null, r.nextDouble() < 0.7,
            passcode, false, serial);
      }
      return body("Lumia-" + i, "windowsPhone", pick(r, "10.0.15063", 50, "10.0.14393", 30, "8.1", 20), null,
          false, passcode, r.nextDouble() < 0.5, serial);
    }

    static String body(String name, String platform, String os, String mode, boolean supervised,
        boolean passcode, boolean aad, String serial) {
      return "{\"name\":\"" + name + "\",\"platform\":\"" + platform + "\",\"osVersion\":\"" + os + "\""
          + (mode == null ? "" : ",\"managementMode\":\"" + mode + "\"")
          + ",\"supervised\":" + supervised + ",\"passcodeSet\":" + passcode + ",\"azureAdJoined\":" + aad
          + ",\"serialNumber\":\"" + serial + "\",\"owner\":\"user" + serial.substring(3) + "@example.com\"}";
    }

    /** A value picked by weight: pick(r, "a", 70, "b", 30). */
    static String pick(Random r, Object... valuesAndWeights) {
      int total = 0;
      for (int i = 1; i < valuesAndWeights.length; i += 2) {
        total += (Integer) valuesAndWeights[i];
      }
      int x = r.nextInt(total);
      for (int i = 0; ; i += 2) {
        x -= (Integer) valuesAndWeights[i + 1];
        if (x < 0) {
          return (String) valuesAndWeights[i];
        }
      }
    }
  }

  // ---- just enough JSON for the answers this client reads ---------------------------------

  /** Reads string members of the app's flat JSON answers; the API's values hold no quotes. */
  static final class Json {
    static String string(String json, String name) {
      Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json == null ? "" : json);
      return m.find() ? m.group(1) : null;
    }

    static List<String> strings(String json, String name) {
      Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
      if (!m.find() || m.group(1).isBlank()) {
        return List.of();
      }
      return Arrays.stream(m.group(1).split(",")).map(s -> s.trim().replace("\"", "")).toList();
    }

    /** The objects of an array member whose objects hold no nested objects: the check-in's commands. */
    static List<Map<String, String>> objects(String json, String name) {
      int start = json.indexOf("\"" + name + "\"");
      List<Map<String, String>> objects = new ArrayList<>();
      Matcher m = Pattern.compile("\\{([^{}]*)\\}").matcher(json);
      Pattern member = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");
      int from = start < 0 ? json.length() : start;
      while (m.find(from)) {
        Map<String, String> object = new HashMap<>();
        Matcher f = member.matcher(m.group(1));
        while (f.find()) {
          object.put(f.group(1), f.group(2));
        }
        objects.add(object);
        from = m.end();
      }
      return objects;
    }
  }

  // ---- what happened ----------------------------------------------------------------------

  /** Counters and latency samples, printed as the run's summary. */
  static final class Stats {
    final Map<String, LongAdder> commands = new ConcurrentHashMap<>();
    final Map<String, LongAdder> results = new ConcurrentHashMap<>();
    final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final LongAdder events = new LongAdder();
    final Map<String, ConcurrentLinkedQueue<Long>> service = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> checkinResponse = new ConcurrentLinkedQueue<>();
    /** When the admin read each 202, and when a device got the command, by action id. */
    final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> deliveryDelay = new ConcurrentLinkedQueue<>();
    final LongAdder beforeThe202 = new LongAdder();
    final LongAdder heldAnswers = new LongAdder();
    final LongAdder notHeldAnswers = new LongAdder();
    final ConcurrentLinkedQueue<Long> heldFor = new ConcurrentLinkedQueue<>();

    // Synchronized, both: the 202 and the device's check-in race, and each method reads one map and
    // writes the other (unsynchronized, a command could land in both and count as not delivered).
    synchronized void accepted(String actionId, long now) {
      Long delivered = deliveredAt.remove(actionId);
      if (delivered == null) {
        acceptedAt.put(actionId, now);
      } else {
        // The device held the command before the admin read the 202: no delay to speak of.
        beforeThe202.increment();
        deliveryDelay.add(0L);
      }
    }

    synchronized void delivered(String actionId, long now) {
      Long accepted = acceptedAt.remove(actionId);
      if (accepted == null) {
        deliveredAt.put(actionId, now);
      } else {
        deliveryDelay.add(now - accepted);
      }
    }

    void held(boolean applied, long nanos) {
      (applied ? heldAnswers : notHeldAnswers).increment();
      heldFor.add(nanos);
    }

    void latency(String what, long serviceNanos, long responseNanos) {
      service.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>()).add(serviceNanos);
      if (what.equals("checkin")) {
        checkinResponse.add(responseNanos);
      }
    }

    void error(String what) {
      errors.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    void print(List<Device> fleet, double seconds, Map<String, String> opt, double interval) {
      int checkins = service.getOrDefault("checkin", new ConcurrentLinkedQueue<>()).size();
      System.out.printf("fleet: %d devices %s, check-in every %.1f s +-50%%, concurrency %s, %.1f s%n",
          fleet.size(), platformMix(fleet), interval, opt.getOrDefault("concurrency", "32"), seconds);
      if (heldFor.isEmpty()) {
        System.out.printf("check-ins: %d (%.1f/s, offered %.1f/s)%n", checkins, checkins / seconds,
            fleet.size() / interval);
      } else {
        long waiting = heldAnswers.sum() + notHeldAnswers.sum();
        System.out.printf("check-ins: %d (%.1f/s) waiting ones, %d not held (no Preference-Applied); held for %s%n",
            waiting, waiting / seconds, notHeldAnswers.sum(), percentiles(heldFor));
      }
      new TreeMap<>(service)
          .forEach((what, samples) -> System.out.printf("latency %s: %s%n", what, percentiles(samples)));
      System.out.printf("check-in response time from when it was due: %s%n", percentiles(checkinResponse));
      System.out.println("commands received: " + counts(commands));
      if (!deliveryDelay.isEmpty() || !acceptedAt.isEmpty()) {
        System.out.printf("delivery delay, from the 202 to the device holding the command: %s;"
                + " %d received before the 202 was read (counted as 0), %d not delivered by the end%n",
            percentiles(deliveryDelay), beforeThe202.sum(), acceptedAt.size());
      }
      System.out.println("results sent: " + counts(results) + ", unlockedWithRecoveryPin events: " + events.sum());
      if (!actions.isEmpty()) {
        System.out.println("admin action requests (action status): " + counts(actions));
      }
      System.out.println("errors: " + (errors.isEmpty() ? "none" : counts(errors)));
    }

    static String counts(Map<String, LongAdder> counters) {
      Map<String, Long> sorted = new TreeMap<>();
      counters.forEach((k, v) -> sorted.put(k, v.sum()));
      return sorted.isEmpty() ? "none" : sorted.toString();
    }

    static String percentiles(java.util.Collection<Long> samples) {
      long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return "no samples";
      }
      return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d)", at(sorted, 0.50), at(sorted, 0.99),
          sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    static double at(long[] sorted, double q) {
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
  }
}
