package dev.deviceactions.maintenance;

import static dev.deviceactions.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Sweeps add no query plans, as check-ins, listings and MDM connects do not (README, Tests): a plan
 * added at every sweep would be kept for as long as the process runs, a sweep a minute on every
 * replica. White-box (Hibernate statistics, enabled in the test profile).
 */
@QuarkusTest
class SweepQueryPlanTest {
  @Inject Mutiny.SessionFactory sessions;

  @Test
  void sweepsAddNoQueryPlans() {
    sweep(); // the first of each query may be a miss
    long missesBefore = sessions.getStatistics().getQueryPlanCacheMissCount();

    for (int i = 0; i < 10; i++) {
      sweep();
    }

    long misses = sessions.getStatistics().getQueryPlanCacheMissCount() - missesBefore;
    assertEquals(0, misses, "query plan cache misses in 10 sweeps");
  }

  private static void sweep() {
    asAdmin().post("/api/v1/maintenance/sweep").then().statusCode(200);
  }
}
