package dev.deviceactions.apple;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The app pushing to {@link ApnsReceiver}, the APNs stand-in: its push certificate and key, the
 * stand-in's URL and its CA as apns-ca, and quick retries (100 ms doubling up to 400 ms, for 3 s at
 * most) so that the retry tests run in seconds.
 */
public class ApnsProfile implements QuarkusTestProfile {
  public static final ApnsReceiver APNS = new ApnsReceiver();

  /** Written by {@link Apns#start()}, before the app starts. */
  public static volatile ApnsKeys keys;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "device-actions.apple.push-initial-backoff", "100ms",
        "device-actions.apple.push-max-backoff", "400ms",
        "device-actions.apple.push-retry-for", "3s");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(Apns.class));
  }

  /** Makes the keys, starts the stand-in before the app, and points the app at it. */
  public static class Apns implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      try {
        keys = ApnsKeys.make();
        int port = APNS.start(keys);
        return Map.of(
            "device-actions.apple.push-cert", keys.path("push.pem"),
            "device-actions.apple.push-key", keys.path("push-key.pem"),
            "device-actions.apple.apns-url", "https://localhost:" + port,
            "device-actions.apple.apns-ca", keys.path("apns-ca.pem"));
      } catch (Exception e) {
        throw new IllegalStateException("the APNs stand-in did not start", e);
      }
    }

    @Override
    public void stop() {
      try {
        APNS.stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
