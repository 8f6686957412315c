package dev.deviceactions.agent;

import static dev.deviceactions.support.Api.asDevice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Check-ins reuse their query plans. Hibernate Reactive never found the plan of a native select in
 * its cache, so a native UPDATE ... RETURNING added a plan per check-in, all under one hash, and
 * every check-in scanned them: the cost of a check-in grew with the number of check-ins served.
 * White-box (Hibernate statistics, enabled in the test profile), so there is no *IT twin.
 */
@QuarkusTest
class CheckinQueryPlanTest {
  @Inject Mutiny.SessionFactory sessions;

  @Test
  void checkInsDeliveringCommandsAddNoQueryPlans() {
    EnrolledDevice windows = Api.windows();
    deliverOneRestart(windows); // the first of each query is a miss
    long missesBefore = sessions.getStatistics().getQueryPlanCacheMissCount();

    for (int i = 0; i < 20; i++) {
      deliverOneRestart(windows);
    }

    long misses = sessions.getStatistics().getQueryPlanCacheMissCount() - missesBefore;
    assertTrue(misses <= 2, misses + " query plan cache misses in 20 requests and check-ins");
  }

  private static void deliverOneRestart(EnrolledDevice device) {
    String requested = Api.request(device, "rebootNow");
    List<String> delivered =
        asDevice(device)
            .post("/agent/v1/checkin")
            .then()
            .statusCode(200)
            .extract()
            .path("commands.actionId");
    assertEquals(List.of(requested), delivered);
  }
}
