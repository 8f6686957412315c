package dev.deviceactions.common;

import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Listings add no query plans. They are SQL on the pool: run as Hibernate native queries, each run
 * missed Hibernate Reactive's plan cache and added a plan, as check-ins once did
 * (CheckinQueryPlanTest). White-box (Hibernate statistics, enabled in the test profile).
 */
@QuarkusTest
class ListingQueryPlanTest {
  @Inject Mutiny.SessionFactory sessions;

  @Test
  void listingsOfDevicesActionsAndAuditAddNoQueryPlans() {
    Api.request(Api.windows(), "rebootNow");
    List<String> listings =
        List.of(
            "/api/v1/devices?q=device&platform=windows",
            "/api/v1/device-actions?state=failed&action=rebootNow",
            "/api/v1/audit-events?activity=actionRequested",
            "/graph/v1.0/deviceManagement/managedDevices");
    listings.forEach(ListingQueryPlanTest::list); // the first of each may be a miss
    long missesBefore = sessions.getStatistics().getQueryPlanCacheMissCount();

    for (int i = 0; i < 10; i++) {
      listings.forEach(ListingQueryPlanTest::list);
    }

    long misses = sessions.getStatistics().getQueryPlanCacheMissCount() - missesBefore;
    assertEquals(0, misses, "query plan cache misses in 40 listings");
  }

  private static void list(String path) {
    RequestSpecification as =
        path.startsWith("/graph/")
            ? given()
                .auth()
                .oauth2(
                    Api.graphToken(
                        "graph@example.com",
                        List.of("DeviceManagementManagedDevices.Read.All"),
                        null))
            : asAdmin();
    as.get(path).then().statusCode(200);
  }
}
