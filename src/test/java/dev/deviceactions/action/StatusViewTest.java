package dev.deviceactions.action;

import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Device actions status view: filters, newest first, keyset pages served by indexes. */
@QuarkusTest
class StatusViewTest {
  final Pool database = TestDatabase.pool();

  @Test
  void pagesNeitherSkipNorRepeatAndComeNewestFirst() {
    Api.EnrolledDevice windows = Api.windows();
    List<String> requested = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String id = Api.request(windows, "rebootNow");
      requested.addFirst(id);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var request = asAdmin().queryParam("deviceId", windows.id()).queryParam("limit", 3);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      var page = request.get("/api/v1/device-actions").then().statusCode(200).extract();
      seen.addAll(page.path("items.id"));
      cursor = page.path("nextCursor");
    } while (cursor != null);

    assertEquals(requested, seen);
  }

  @Test
  void filtersByActionStateAndInitiator() {
    Api.EnrolledDevice windows = Api.windows();
    String reboot =
        as("actions.rebootNow")
            .post("/api/v1/devices/" + windows.id() + "/rebootNow")
            .then()
            .extract()
            .path("id");
    asAdmin().post("/api/v1/device-actions/" + reboot + "/cancel").then().statusCode(200);
    asAdmin()
        .queryParam("deviceId", windows.id())
        .queryParam("state", "canceled")
        .queryParam("action", "rebootNow")
        .queryParam("initiatedBy", "alice@example.com")
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(1))
        .body("items[0].id", equalTo(reboot));
    asAdmin()
        .queryParam("deviceId", windows.id())
        .queryParam("state", "pending")
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(0));
    asAdmin()
        .queryParam("state", "sleeping")
        .get("/api/v1/device-actions")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("state"));
    asAdmin()
        .get("/api/v1/device-actions/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("code", equalTo("actionNotFound"));
  }

  @Test
  void bulkBodiesOverOneMebibyteAre413() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    asAdmin()
        .contentType(ContentType.JSON)
        .body(Map.of("action", "rebootNow", "deviceIds", ids))
        .post("/api/v1/device-actions/bulk")
        .then()
        .statusCode(413)
        .body("code", equalTo("payloadTooLarge"));
  }

  @Test
  void theStatusViewQueriesUseTheirIndexes() {
    database
        .query(
            "insert into device (id, name, platform, os_version, supervised, passcode_set, azure_ad_joined,"
                + " token_hash, enrolled_at) select gen_random_uuid(), 'bulk', 'windows', '10.0', false, false,"
                + " false, decode(md5(random()::text), 'hex'), now() from generate_series(1, 200)")
        .execute()
        .await()
        .indefinitely();
    database
        .query(
            "insert into device_action (id, device_id, action, state, initiated_by, requested_at, last_updated_at)"
                + " select gen_random_uuid(), d.id, 'rebootNow', 'done', 'load', now() - (g * interval '1 second'),"
                + " now() from (select id from device where name = 'bulk' limit 200) d, generate_series(1, 100) g")
        .execute()
        .await()
        .indefinitely();
    database.query("analyze device_action").execute().await().indefinitely();

    String plan =
        plan(
            "select * from device_action where (requested_at, id) < ($1, $2)"
                + " order by requested_at desc, id desc limit 101");
    String byDevice =
        plan(
            "select * from device_action where device_id = $2 and (requested_at, id) < ($1, $2)"
                + " order by requested_at desc, id desc limit 101");

    String byAction =
        plan(
            "select * from device_action where action = 'resetPin' and (requested_at, id) < ($1, $2)"
                + " order by requested_at desc, id desc limit 101");

    assertTrue(plan.contains("device_action_newest"), plan);
    assertTrue(byDevice.contains("device_action_device_newest"), byDevice);
    assertTrue(byAction.contains("device_action_action_newest"), byAction);
  }

  private String plan(String sql) {
    return TestDatabase.plan(
        database, sql, Tuple.of(java.time.OffsetDateTime.now(), UUID.randomUUID()));
  }
}
