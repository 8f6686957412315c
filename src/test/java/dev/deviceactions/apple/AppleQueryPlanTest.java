package dev.deviceactions.apple;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.apple.AppleDevices.Enrolled;
import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * MDM connects reuse their query plans, as check-ins do (CheckinQueryPlanTest): a plan added per
 * connect would make every later one slower, for as long as the process runs. White-box (Hibernate
 * statistics, enabled in the test profile), so there is no *IT twin.
 */
@QuarkusTest
class AppleQueryPlanTest {
  @Inject Mutiny.SessionFactory sessions;

  @Test
  void connectsThatTakeAndAnswerCommandsAddNoQueryPlans() {
    Enrolled phone = AppleDevices.iPhone();
    lockOnce(phone); // the first of each query may be a miss
    long missesBefore = sessions.getStatistics().getQueryPlanCacheMissCount();

    for (int i = 0; i < 10; i++) {
      lockOnce(phone);
    }

    long misses = sessions.getStatistics().getQueryPlanCacheMissCount() - missesBefore;
    assertEquals(0, misses, "query plan cache misses in 10 requests and 30 connects");
  }

  /** A lock requested, taken at an Idle connect, acknowledged; then an Idle with nothing. */
  private static void lockOnce(Enrolled device) {
    String requested = Api.request(device.record(), "remoteLock");
    AppleDevice.Command command = device.device().idle().command();
    assertEquals(requested, command.uuid());
    assertEquals(200, device.device().acknowledged(command).status());
    assertEquals(null, device.device().idle().command());
  }
}
