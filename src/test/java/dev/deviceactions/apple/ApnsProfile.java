package dev.deviceactions.apple;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The app pushing to {@link ApnsReceiver}, the APNs stand-in: its push certificate and key, the
 * stand-in's URL and its CA as apns-ca, and quick retries (100 ms doubling up to 400 ms, for 3 s at
 * most) so that the retry tests run in seconds.
 */
public class ApnsProfile implements QuarkusTestProfile {
  public static final ApnsReceiver APNS = new ApnsReceiver();

  /** Written by {@link StandIn#start()}, before the app starts. */
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
    return List.of(new TestResourceEntry(StandIn.class));
  }

  /**
   * Makes the keys, starts a stand-in before the app and points the app at it: {@link #APNS} with
   * the push certificate, or, with the argument {@code pushCertificate=false}, {@link
   * NoPushCertificateProfile#APNS} without it.
   */
  public static class StandIn implements QuarkusTestResourceLifecycleManager {
    private boolean pushCertificate = true;

    @Override
    public void init(Map<String, String> args) {
      pushCertificate = !"false".equals(args.get("pushCertificate"));
    }

    private ApnsReceiver receiver() {
      return pushCertificate ? APNS : NoPushCertificateProfile.APNS;
    }

    @Override
    public Map<String, String> start() {
      try {
        ApnsKeys made = ApnsKeys.make();
        int port = receiver().start(made);
        Map<String, String> config = new HashMap<>();
        config.put("device-actions.apple.apns-url", "https://localhost:" + port);
        config.put("device-actions.apple.apns-ca", made.path("apns-ca.pem"));
        if (pushCertificate) {
          keys = made;
          config.put("device-actions.apple.push-cert", made.path("push.pem"));
          config.put("device-actions.apple.push-key", made.path("push-key.pem"));
        }
        return config;
      } catch (Exception e) {
        throw new IllegalStateException("the APNs stand-in did not start", e);
      }
    }

    @Override
    public void stop() {
      try {
        receiver().stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
