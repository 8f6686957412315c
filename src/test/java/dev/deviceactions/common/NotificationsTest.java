package dev.deviceactions.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a batch of wake-ups is cut into notifications: each under PostgreSQL's payload limit. */
class NotificationsTest {

  @Test
  void aBulkRequestsDevicesGoInFewPayloadsEachBelowTheLimit() {
    List<String> ids =
        IntStream.range(0, 10_000).mapToObj(i -> UUID.randomUUID().toString()).toList();
    List<String> channels = new ArrayList<>();
    List<String> payloads = new ArrayList<>();

    Notifications.payloads("device_action_pending", ids, channels, payloads);

    assertEquals(47, payloads.size(), "213 ids of 36 characters and a comma fit in 7,900 bytes");
    assertTrue(payloads.stream().allMatch(p -> p.length() <= Notifications.MAX_PAYLOAD));
    assertEquals(ids, payloads.stream().flatMap(p -> Arrays.stream(p.split(","))).toList());
    assertTrue(channels.stream().allMatch("device_action_pending"::equals));
  }

  @Test
  void oneItemIsOnePayloadAsBefore() {
    List<String> channels = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    String id = UUID.randomUUID().toString();

    Notifications.payloads("device_action_pending", List.of(id), channels, payloads);

    assertEquals(List.of(id), payloads);
  }

  @Test
  void reconnectsBackOffFrom100MsTo2S() {
    assertEquals(
        List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L),
        IntStream.of(0, 1, 2, 3, 4, 5, 50).mapToObj(Notifications::delay).toList());
  }
}
