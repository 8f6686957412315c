import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.apple.sim.Identity;
import dev.deviceactions.apple.sim.ScepClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated Apple devices for dev mode and demos: it enrolls Macs, iPhones and iPads over Apple's
 * MDM protocol against a running device-actions (a device record, its enrollment profile, SCEP,
 * Authenticate, TokenUpdate), then runs them: each connects every --interval (dev mode has no
 * APNs push) and answers every command as the device would, printing what it got. Run it with
 * src/bench/apple-sim.sh, which puts the simulator and its libraries on the class path.
 */
public class AppleSim {
  static final String USAGE =
      """
      usage: bash src/bench/apple-sim.sh [options]
        --url URL         the app (default http://localhost:8080, dev mode)
        --token JWT       admin token (default: GET <url>/dev/token, dev mode only)
        --macs N          Macs to enroll (default 1)
        --iphones N       iPhones to enroll (default 0)
        --ipads N         supervised iPads to enroll (default 0)
        --interval D      how often each device connects (default 5s): it stands in for the APNs push
        --duration D      how long the devices run (default 10m)
      """;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger answered = new AtomicInteger();

  /** An enrolled device and its record's name. */
  record Running(String id, String label, AppleDevice device) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    URI url = URI.create(o.getOrDefault("url", "http://localhost:8080"));
    String token = o.containsKey("token") ? o.get("token") : get(url.resolve("/dev/token"), null);
    List<Running> devices = new ArrayList<>();
    enroll(devices, url, token, AppleDevice.Model.mac, "macOS", count(o, "macs", 1));
    enroll(devices, url, token, AppleDevice.Model.iPhone, "iOS", count(o, "iphones", 0));
    enroll(devices, url, token, AppleDevice.Model.iPad, "iPadOS", count(o, "ipads", 0));
    Duration interval = duration(o.getOrDefault("interval", "5s"));
    Duration lasting = duration(o.getOrDefault("duration", "10m"));
    ScheduledExecutorService connects = Executors.newScheduledThreadPool(4);
    for (Running r : devices) {
      connects.scheduleWithFixedDelay(
          () -> connect(r), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    System.out.printf(
        "%d devices connect every %s for %s; request actions with the admin API or the console%n",
        devices.size(), o.getOrDefault("interval", "5s"), o.getOrDefault("duration", "10m"));
    connects.awaitTermination(lasting.toMillis(), TimeUnit.MILLISECONDS);
    connects.shutdownNow();
    System.out.printf("done: %d commands answered%n", answered.get());
  }

  private static void enroll(
      List<Running> devices, URI url, String token, AppleDevice.Model model, String platform, int n)
      throws Exception {
    for (int i = 0; i < n; i++) {
      String name = model + "-" + (devices.size() + 1);
      String record =
          post(
              url.resolve("/api/v1/devices"),
              token,
              "{\"name\":\""
                  + name
                  + "\",\"platform\":\""
                  + platform
                  + "\",\"osVersion\":\"13.0\",\"passcodeSet\":true,\"supervised\":"
                  + (model == AppleDevice.Model.iPad)
                  + "}");
      String id = field(record, "id");
      byte[] mobileconfig =
          post(url.resolve("/api/v1/devices/" + id + "/appleEnrollmentProfile"), token, null)
              .getBytes(StandardCharsets.UTF_8);
      AppleDevice.Profile profile = AppleDevice.Profile.parse(mobileconfig);
      Identity identity = ScepClient.enroll(profile.scepUrl(), profile.challenge());
      AppleDevice device =
          new AppleDevice(model, profile, identity).supervised(model == AppleDevice.Model.iPad);
      device.named(name, device.serialNumber);
      require(device.authenticate(), "Authenticate");
      require(device.tokenUpdate(model != AppleDevice.Model.mac), "TokenUpdate");
      System.out.printf("enrolled %s as device %s (UDID %s)%n", name, id, device.udid);
      devices.add(new Running(id, name, device));
    }
  }

  /** One connect: Idle, then every command answered until the server has none. */
  private static void connect(Running r) {
    try {
      AppleDevice.Reply reply = r.device().idle();
      while (reply.status() == 200 && reply.command() != null) {
        AppleDevice.Command c = reply.command();
        reply = r.device().answer(c);
        answered.incrementAndGet();
        System.out.printf("%s: %s%s -> answered%n", r.label(), c.requestType(), details(c));
      }
    } catch (RuntimeException e) {
      System.out.printf("%s: connect failed: %s%n", r.label(), e.getMessage());
    }
  }

  private static String details(AppleDevice.Command c) {
    StringBuilder s = new StringBuilder();
    for (String key : new String[] {"PIN", "Message", "PhoneNumber"}) {
      if (c.string(key) != null) {
        s.append(' ').append(key).append(' ').append(c.string(key));
      }
    }
    if (c.data("UnlockToken") != null) {
      s.append(" with the UnlockToken");
    }
    return s.toString();
  }

  private static void require(AppleDevice.Reply reply, String what) {
    if (reply.status() != 200) {
      throw new IllegalStateException(what + " answered " + reply.status() + ": " + reply.asText());
    }
  }

  static String get(URI uri, String token) throws Exception {
    return send(HttpRequest.newBuilder(uri).GET(), token);
  }

  static String post(URI uri, String token, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return send(b, token);
  }

  private static String send(HttpRequest.Builder b, String token) throws Exception {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().strip();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || !args[i].startsWith("--") || i + 1 >= args.length) {
        System.out.print(USAGE);
        System.exit(args[i].equals("--help") ? 0 : 2);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  static int count(Map<String, String> o, String key, int fallback) {
    return Integer.parseInt(o.getOrDefault(key, Integer.toString(fallback)));
  }

  /** 5s, 10m, 1h or an ISO-8601 duration. */
  static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
    if (!m.matches()) {
      return Duration.parse(text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
