package dev.deviceactions.events;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The app with two sinks on one {@link EventReceiver}: K_SINK (path /knative, as a Knative
 * SinkBinding sets it) and device-actions.events.sinks (path /webhook), a signing secret, quick
 * retries and a restart timeout of one second for the sweep's timeouts. The connect and request
 * timeouts keep their defaults (5 s and 10 s): the receiver keeps an event before it answers, so an
 * answer that a loaded machine brought back after a short timeout would be sent again and kept
 * twice, which the tests count as a duplicate delivery.
 */
public class EventSinkProfile implements QuarkusTestProfile {
  /** Standard Webhooks' own form: whsec_ and the base64 of the key. */
  public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  public static final EventReceiver RECEIVER = new EventReceiver();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "device-actions.events.signing-secret", SECRET,
        "device-actions.events.initial-backoff", "100ms",
        "device-actions.events.max-backoff", "400ms",
        "device-actions.restart.timeout", "1s");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(Sink.class));
  }

  /** Starts the receiver before the app, and points the app at it. */
  public static class Sink implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      try {
        int port = RECEIVER.start();
        return Map.of(
            "K_SINK", "http://127.0.0.1:" + port + "/knative",
            "device-actions.events.sinks", "http://127.0.0.1:" + port + "/webhook");
      } catch (Exception e) {
        throw new IllegalStateException("the test's event receiver did not start", e);
      }
    }

    @Override
    public void stop() {
      try {
        RECEIVER.stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
