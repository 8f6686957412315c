package dev.deviceactions.apple;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The push topic is the UID of the push certificate's subject (Apple's MDM push certificates carry
 * {@code UID=com.apple.mgmt.External.<uuid>}); a configured topic that differs is warned about at
 * the first push, because APNs refuses it.
 */
class ApnsTopicTest {
  @Test
  void theTopicOfAPushCertificateIsTheUidOfItsSubject() {
    ApnsKeys keys = ApnsKeys.make();
    assertEquals(Optional.of(ApnsKeys.TOPIC), ApnsClient.topicOf(keys.pushCertificate()));
  }

  @Test
  void aCertificateWithoutUidNamesNoTopic() {
    ApnsKeys keys = ApnsKeys.make();
    assertEquals(Optional.empty(), ApnsClient.topicOf(keys.serverCa()));
  }
}
