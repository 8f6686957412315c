package dev.deviceactions.apple;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The app with an APNs stand-in to push to (apns-url, apns-ca) but no push certificate: the test
 * profile's push topic is set, push-cert and push-key are not.
 */
public class NoPushCertificateProfile implements QuarkusTestProfile {
  public static final ApnsReceiver APNS = new ApnsReceiver();

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(Apns.class));
  }

  /** Starts the stand-in before the app, and points the app at it. */
  public static class Apns implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      try {
        ApnsKeys keys = ApnsKeys.make();
        int port = APNS.start(keys);
        return Map.of(
            "device-actions.apple.apns-url",
            "https://localhost:" + port,
            "device-actions.apple.apns-ca",
            keys.path("apns-ca.pem"));
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
