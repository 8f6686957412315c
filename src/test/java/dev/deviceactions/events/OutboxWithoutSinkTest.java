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
 * outbox still empties on its own, unless another replica relays. Counted by PostgreSQL itself
 * (pg_stat_statements).
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

  /**
   * A replica without a sink leaves the outbox alone while another replica relays (it says so in
   * event_relay every tick), as during a roll-out that adds a sink to new pods only; once none has
   * said so for three ticks, it empties it again.
   */
  @Test
  void whileAnotherReplicaRelaysNothingIsDiscarded() {
    try {
      execute(
          "insert into event_relay (instance, seen_at)"
              + " values ('another replica', now() + interval '1 hour')");
      Api.request(Api.windows(), "rebootNow");

      await("the events left for the other replica")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> pending() > 0);

      execute("update event_relay set seen_at = now() - interval '4 seconds'");
      await("the outbox emptied once the other replica is silent")
          .atMost(Duration.ofSeconds(30))
          .until(() -> pending() == 0);
    } finally {
      execute("delete from event_relay");
    }
  }

  private void execute(String sql) {
    database.query(sql).execute().await().indefinitely();
  }

  private long pending() {
    return count("select count(*) as n from event_outbox where state = 'pending'");
  }

  private long count(String sql) {
    return database.query(sql).execute().await().indefinitely().iterator().next().getLong("n");
  }
}
