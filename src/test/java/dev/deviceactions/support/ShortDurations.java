package dev.deviceactions.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Every lifetime two seconds (PINs, passcodes, the restart timeout, approval requests, Apple
 * enrollment challenges), so that expiry and timeouts happen in real time; the in-process sweep
 * stays off, as in every test.
 */
public class ShortDurations implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "device-actions.recovery-pin.retention", "2s",
        "device-actions.temporary-passcode.retention", "2s",
        "device-actions.restart.timeout", "2s",
        "device-actions.apple.enrollment-ttl", "2s",
        "device-actions.approvals.ttl", "2s");
  }
}
