package dev.deviceactions.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Duration;
import java.util.Map;

/**
 * Every lifetime five seconds (PINs, passcodes, the restart timeout, approval requests, Apple
 * enrollment challenges), so that expiry and timeouts happen in real time; the in-process sweep
 * stays off, as in every test. Five, not less: what a test checks while something is still alive (a
 * PIN shown, a restart delivered or pending) must fit in its lifetime on a loaded machine too.
 */
public class ShortDurations implements QuarkusTestProfile {
  /** Each lifetime. */
  public static final Duration LIFETIME = Duration.ofSeconds(5);

  /** Long enough for what was created before it to have expired. */
  public static final long PAST_LIFETIME_MILLIS = LIFETIME.toMillis() + 500;

  @Override
  public Map<String, String> getConfigOverrides() {
    String lifetime = LIFETIME.toSeconds() + "s";
    return Map.of(
        "device-actions.recovery-pin.retention", lifetime,
        "device-actions.temporary-passcode.retention", lifetime,
        "device-actions.restart.timeout", lifetime,
        "device-actions.apple.enrollment-ttl", lifetime,
        "device-actions.approvals.ttl", lifetime);
  }
}
