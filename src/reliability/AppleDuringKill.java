import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.apple.sim.Certificates;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 9. Apple devices (simulated iPhones speaking Apple's MDM protocol) connect in a loop and
 * answer every command, while an admin requests locks and restarts for them, each with its own
 * Idempotency-Key. The app is killed with SIGKILL mid-way and started again; requests whose answer
 * was lost are retried with their key; the devices retry what they could not send, as a real device
 * does. Then every accepted action must have reached its own device and be done: none lost, none
 * left active without being handed over again.
 */
final class AppleDuringKill {
  private final Settings settings;
  private final App app;
  private final Postgres db;
  private final Api api;
  private final Api.Tokens tokens;
  private final Report report =
      new Report("9. Apple devices connecting through a kill -9: no action lost or stuck active");

  /** What one device received, by CommandUUID, and how often. */
  private final Map<String, Map<String, Integer>> received = new ConcurrentHashMap<>();

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger failedSends = new AtomicInteger();

  AppleDuringKill(Settings settings, App app, Postgres db, Api api, Api.Tokens tokens) {
    this.settings = settings;
    this.app = app;
    this.db = db;
    this.api = api;
    this.tokens = tokens;
  }

  Report run() throws Exception {
    String actor = "apple-" + System.nanoTime() + "@reliability";
    String token = tokens.token(actor, "admin");
    int count = settings.full() ? 200 : 40;
    Map<String, AppleDevice> devices = enroll(token, count);
    // A thread per device: each runs its connect loop until the end of the scenario.
    ExecutorService loops = Executors.newFixedThreadPool(count);
    devices.forEach((id, device) -> loops.submit(() -> connectLoop(id, device)));

    int requests = count * 5;
    Map<String, String> keyToDevice = new HashMap<>();
    List<String> ids = new ArrayList<>(devices.keySet());
    Random random = new Random(9);
    for (int i = 0; i < requests; i++) {
      keyToDevice.put(actor + "-" + i, ids.get(random.nextInt(ids.size())));
    }
    long started = System.nanoTime();
    Map<String, String> accepted = new ConcurrentHashMap<>();
    List<String> lost = burst(keyToDevice, token, accepted, requests / 2);
    double restart = app.start();
    for (String key : lost) {
      Api.Answer a = retry(keyToDevice.get(key), key, token);
      if (a.status() == 202) {
        accepted.put(key, a.field("id"));
      }
    }
    report.expect(
        accepted.size() == requests,
        "%d of %d requests were accepted after retries",
        accepted.size(),
        requests);

    long settled = waitUntilDone(actor, accepted.size());
    stop.set(true);
    loops.shutdown();
    loops.awaitTermination(30, TimeUnit.SECONDS);
    check(actor, accepted, keyToDevice, settled, restart, lost.size(), started);
    return report;
  }

  /**
   * Sends every request from 8 clients at once and kills the app with SIGKILL once {@code killAt}
   * were answered, while devices are connecting; returns the keys whose answer was lost.
   */
  private List<String> burst(
      Map<String, String> keyToDevice, String token, Map<String, String> accepted, int killAt)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    AtomicInteger answered = new AtomicInteger();
    List<String> lost = java.util.Collections.synchronizedList(new ArrayList<>());
    for (String key : keyToDevice.keySet()) {
      clients.submit(
          () -> {
            Api.Answer a = request(keyToDevice.get(key), key, token);
            if (a.status() == 202) {
              accepted.put(key, a.field("id"));
              answered.incrementAndGet();
            } else {
              lost.add(key);
            }
          });
    }
    while (answered.get() < killAt) {
      Thread.sleep(5);
    }
    app.kill9();
    clients.shutdown();
    clients.awaitTermination(60, TimeUnit.SECONDS);
    return lost;
  }

  private Map<String, AppleDevice> enroll(String token, int count) {
    Map<String, AppleDevice> devices = new HashMap<>();
    for (int i = 0; i < count; i++) {
      Api.Answer record =
          api.postJson(
              "/api/v1/devices",
              token,
              "{\"name\":\"apple-" + i + "\",\"platform\":\"iOS\",\"osVersion\":\"17.4\","
                  + "\"passcodeSet\":true,\"supervised\":true}");
      String id = record.field("id");
      Api.Answer profile = api.post("/api/v1/devices/" + id + "/appleEnrollmentProfile", token);
      AppleDevice device =
          new AppleDevice(
              AppleDevice.Model.iPhone,
              AppleDevice.Profile.parse(profile.body().getBytes(StandardCharsets.UTF_8)),
              Certificates.issuedByTestCa(UUID.fromString(id)));
      device.supervised(true);
      device.authenticate();
      device.tokenUpdate(true);
      device.drain();
      devices.put(id, device);
      received.put(id, new ConcurrentHashMap<>());
    }
    return devices;
  }

  /** Connects and answers until told to stop; a message that cannot be sent is sent again. */
  private void connectLoop(String id, AppleDevice device) {
    AppleDevice.Command pending = null;
    while (!stop.get()) {
      try {
        AppleDevice.Reply reply = pending == null ? device.idle() : device.answer(pending);
        if (reply.status() != 200) {
          Thread.sleep(100);
          continue;
        }
        pending = reply.command();
        if (pending != null) {
          received.get(id).merge(pending.uuid(), 1, Integer::sum);
          // Carrying the command out takes a moment, as on a real device.
          Thread.sleep(20);
        } else {
          Thread.sleep(50);
        }
      } catch (IllegalStateException unreachable) {
        // The app is down: try again shortly, as a device retries a connect that failed.
        failedSends.incrementAndGet();
        sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Api.Answer request(String device, String key, String token) {
    int i = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
    String action = i % 2 == 0 ? "rebootNow" : "remoteLock";
    return api.send(
        api.request("/api/v1/devices/" + device + "/" + action, token)
            .header("Idempotency-Key", key)
            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private Api.Answer retry(String device, String key, String token) throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      Api.Answer a = request(device, key, token);
      if (a.status() == 202) {
        return a;
      }
      Thread.sleep(200);
    }
    return request(device, key, token);
  }

  /** Waits (at most 60 s) until every action of the run is done; returns how many are. */
  private long waitUntilDone(String actor, int expected) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long done = 0;
    while (System.nanoTime() < deadline) {
      done = db.count(
          "select count(*) from device_action where initiated_by = '" + actor + "' and state = 'done'");
      if (done >= expected) {
        break;
      }
      Thread.sleep(250);
    }
    return done;
  }

  private void check(
      String actor,
      Map<String, String> accepted,
      Map<String, String> keyToDevice,
      long done,
      double restart,
      int lost,
      long started)
      throws Exception {
    long stored =
        db.count("select count(*) from device_action where initiated_by = '" + actor + "'");
    List<String> open =
        db.query(
            "select id || ' ' || state from device_action where initiated_by = '"
                + actor
                + "' and state <> 'done'");
    report.expect(stored == accepted.size(), "%d actions stored for %d keys", stored, accepted.size());
    report.expect(open.isEmpty(), "actions not done within 60 s: %s", open);
    int resent = 0;
    for (Map.Entry<String, String> e : accepted.entrySet()) {
      String device = keyToDevice.get(e.getKey());
      Integer times = received.get(device).get(e.getValue());
      report.expect(times != null, "action %s never reached its device %s", e.getValue(), device);
      resent += times != null && times > 1 ? 1 : 0;
    }
    Set<String> everyAction = Set.copyOf(accepted.values());
    received.forEach(
        (device, commands) ->
            commands.keySet().stream()
                .filter(uuid -> !everyAction.contains(uuid))
                .forEach(uuid -> report.expect(false, "device %s got a foreign command %s", device, uuid)));
    report.figure(
        "%d devices, %d actions (requests lost at the kill and retried with their key: %d);"
            + " done: %d; handed over again after the restart: %d; device sends that failed"
            + " while the app was down: %d; restart to ready %.1f s; whole run %.1f s",
        received.size(),
        accepted.size(),
        lost,
        done,
        resent,
        failedSends.get(),
        restart,
        (System.nanoTime() - started) / 1e9);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
