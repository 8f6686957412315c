package dev.deviceactions.events;

import static dev.deviceactions.support.CountedStatements.callsOf;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import dev.deviceactions.support.CountedStatements;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With no sink configured nobody waits for an event, so no commit wakes the relay: its timer (twice
 * per {@code device-actions.events.catch-up}) deletes what the commits wrote, in bulk, and the
 * outbox still empties on its own. Counted by PostgreSQL itself (pg_stat_statements).
 */
@QuarkusTest
@TestProfile(CountedStatements.class)
class OutboxWithoutSinkTest {
  static final int REQUESTS = 20;

  /** The relay's timer: half of the default catch-up (2 s). */
  static final Duration TICK = Duration.ofSeconds(1);

  final Pool database = CountedStatements.pool();

  @Test
  void commitsDoNotWakeTheRelayAndItsTimerEmptiesTheOutbox() {
    List<EnrolledDevice> devices = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      devices.add(Api.windows());
    }
    CountedStatements.reset();
    long start = System.nanoTime();

    devices.forEach(device -> Api.request(device, "rebootNow"));

    long ticks = (System.nanoTime() - start) / TICK.toNanos() + 1;
    long discards = callsOf("delete from event_outbox where seq in%");
    assertTrue(
        discards <= ticks + 1,
        REQUESTS + " commits in " + ticks + " ticks of the timer took " + discards + " discards");
    await("the outbox emptied by the timer")
        .atMost(Duration.ofSeconds(30))
        .until(() -> pending() == 0);
  }

  private long pending() {
    return count("select count(*) as n from event_outbox where state = 'pending'");
  }

  private long count(String sql) {
    return database.query(sql).execute().await().indefinitely().iterator().next().getLong("n");
  }
}
