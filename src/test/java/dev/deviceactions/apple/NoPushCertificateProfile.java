package dev.deviceactions.apple;

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
    return List.of(
        new TestResourceEntry(ApnsProfile.StandIn.class, Map.of("pushCertificate", "false")));
  }
}
