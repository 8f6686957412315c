package dev.deviceactions.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two relays (two replicas) on one outbox, on a PostgreSQL of the test's own with the app's
 * migrations and no app: they never take the same event, a subject's next event waits until its
 * head is settled, a lease that runs out (a relay that died) lets the event be taken again, and a
 * retry waits for its delay.
 */
class OutboxClaimTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String INSERT =
      "insert into event_outbox (type, subject, occurred_at, data) values ($1, $2, now(), '{}')";
  static EmbeddedPostgres database;
  static Vertx vertx;
  static OutboxRepository relayA;
  static OutboxRepository relayB;
  static Pool sql;

  @BeforeAll
  static void migrate() throws Exception {
    // synchronous_commit on, as PostgreSQL's default has it (the embedded server's is off).
    database = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
    Flyway.configure()
        .dataSource(database.getPostgresDatabase())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    vertx = Vertx.vertx();
    relayA = new OutboxRepository(pool());
    relayB = new OutboxRepository(pool());
    sql = pool();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.closeAndAwait();
    database.close();
  }

  @BeforeEach
  void emptyOutboxAndRelays() {
    sql.query("delete from event_outbox").execute().await().atMost(WAIT);
    sql.query("delete from event_relay").execute().await().atMost(WAIT);
  }

  @Test
  void twoRelaysNeverTakeTheSameEventAndASubjectWaitsForItsHead() {
    List<UUID> subjects = subjects(100);
    write(subjects, "dev.deviceactions.action.requested");
    write(subjects, "dev.deviceactions.action.delivered");

    var both =
        Uni.combine()
            .all()
            .unis(relayA.claim(80, 60_000), relayB.claim(80, 60_000))
            .asTuple()
            .await()
            .atMost(WAIT);
    List<OutboxEvent> taken = new ArrayList<>(both.getItem1());
    taken.addAll(both.getItem2());

    assertEquals(100, taken.size(), "every subject's head, once, between the two");
    assertEquals(taken.size(), taken.stream().map(OutboxEvent::seq).distinct().count());
    assertEquals(
        Set.copyOf(subjects), Set.copyOf(taken.stream().map(OutboxEvent::subject).toList()));
    assertTrue(taken.stream().allMatch(e -> e.type().endsWith(".requested")));
    assertEquals(List.of(), relayA.claim(500, 60_000).await().atMost(WAIT), "heads are leased");

    relayB.settle(delivered(taken)).await().atMost(WAIT);
    List<OutboxEvent> next = relayA.claim(500, 60_000).await().atMost(WAIT);
    assertEquals(100, next.size());
    assertTrue(next.stream().allMatch(e -> e.type().endsWith(".delivered")));
  }

  @Test
  void aLeaseThatRunsOutLetsAnotherRelayTakeTheEventWithItsCeId() throws InterruptedException {
    write(subjects(3), "dev.deviceactions.device.enrolled");
    List<OutboxEvent> first = relayA.claim(10, 1).await().atMost(WAIT);
    Thread.sleep(50);
    List<OutboxEvent> again = relayB.claim(10, 60_000).await().atMost(WAIT);
    assertEquals(ids(first), ids(again));
  }

  @Test
  void aRetryWaitsForItsDelayAndKeepsWhatSinksTookAlready() {
    write(subjects(1), "dev.deviceactions.action.completed");
    OutboxEvent e = relayA.claim(10, 60_000).await().atMost(WAIT).getFirst();
    relayA
        .settle(
            List.of(
                new Settlement(
                    e.seq(), Settlement.Outcome.retry, 60_000, List.of("http://a/"), "HTTP 503")))
        .await()
        .atMost(WAIT);

    assertEquals(List.of(), relayB.claim(10, 60_000).await().atMost(WAIT));
    long due = relayB.millisUntilNextDue().await().atMost(WAIT);
    assertTrue(due > 50_000 && due <= 60_000, "due in " + due + " ms");
    sql.query("update event_outbox set next_attempt_at = now()").execute().await().atMost(WAIT);
    OutboxEvent retried = relayB.claim(10, 60_000).await().atMost(WAIT).getFirst();
    assertEquals(e.id(), retried.id());
    assertEquals(1, retried.attempts());
    assertEquals(List.of("http://a/"), retried.deliveredTo());
  }

  @Test
  void aFailedEventNoLongerHoldsBackItsSubjectAndIsReplayed() {
    List<UUID> subject = subjects(1);
    write(subject, "dev.deviceactions.action.requested");
    write(subject, "dev.deviceactions.action.delivered");
    OutboxEvent head = relayA.claim(10, 60_000).await().atMost(WAIT).getFirst();
    relayA
        .settle(
            List.of(
                new Settlement(head.seq(), Settlement.Outcome.failed, 0, List.of(), "HTTP 400")))
        .await()
        .atMost(WAIT);

    OutboxEvent next = relayB.claim(10, 60_000).await().atMost(WAIT).getFirst();
    assertTrue(next.type().endsWith(".delivered"));
    assertEquals(1, relayA.list("failed", null, 10).await().atMost(WAIT).size());
    assertEquals("pending", relayA.replay(head.id()).await().atMost(WAIT).state());
    assertNull(relayA.replay(head.id()).await().atMost(WAIT), "replayed once");
    assertNull(
        relayA.list("failed", null, 10).await().atMost(WAIT).stream().findAny().orElse(null));
  }

  @Test
  void failedDeliveriesAreKeptForTheirRetentionOnly() {
    write(subjects(2), "dev.deviceactions.device.removed");
    List<OutboxEvent> taken = relayA.claim(10, 60_000).await().atMost(WAIT);
    relayA
        .settle(
            taken.stream()
                .map(
                    e ->
                        new Settlement(
                            e.seq(), Settlement.Outcome.failed, 0, List.of(), "HTTP 410"))
                .toList())
        .await()
        .atMost(WAIT);
    sql.query(
            "update event_outbox set failed_at = now() - interval '31 days' where seq = "
                + taken.getFirst().seq())
        .execute()
        .await()
        .atMost(WAIT);

    assertEquals(1, relayB.purgeFailed(Duration.ofDays(30).toMillis()).await().atMost(WAIT));
    assertEquals(1, relayB.list("failed", null, 10).await().atMost(WAIT).size());
  }

  @Test
  void theRelaysWritesCommitWithoutWaitingForTheWalFlushAndTheEventsOwnDoNot() {
    List<UUID> subjects = subjects(4);
    assertEquals(
        "on", commitsWith(INSERT, Tuple.of("dev.deviceactions.device.enrolled", subjects.get(0))));
    write(subjects.subList(1, 4), "dev.deviceactions.device.enrolled");

    assertEquals("off", commitsWith(OutboxRepository.CLAIM, Tuple.of(2, 60_000)));
    List<OutboxEvent> taken = relayA.claim(10, 60_000).await().atMost(WAIT);
    assertEquals(2, taken.size(), "the two heads not leased yet");
    Settlement retry =
        new Settlement(taken.get(1).seq(), Settlement.Outcome.retry, 1, List.of(), "HTTP 503");
    List<Settlement> outcomes = List.of(delivered(taken).getFirst(), retry);
    assertEquals(
        "off", commitsWith(OutboxRepository.SETTLE, OutboxRepository.settleArgs(outcomes)));
    assertEquals("off", commitsWith(OutboxRepository.DISCARD, Tuple.of(10, 3_000)));
    assertEquals(
        "on",
        commitsWith(OutboxRepository.RELAYING, Tuple.of("a relay")),
        "a relay's word that it relays is not lost in a crash");
  }

  @Test
  void aRelaySilentForADayIsForgottenAndOneThatSpokeIsKept() {
    relayA.relaying("killed a day ago").await().atMost(WAIT);
    sql.query("update event_relay set seen_at = now() - interval '25 hours'")
        .execute()
        .await()
        .atMost(WAIT);
    relayB.relaying("relaying now").await().atMost(WAIT);

    assertEquals(1, relayA.forgetSilentRelays().await().atMost(WAIT));
    assertEquals(
        List.of("relaying now"),
        sql.query("select instance from event_relay").execute().await().atMost(WAIT).stream()
            .map(row -> row.getString("instance"))
            .toList());
  }

  /**
   * {@code synchronous_commit} as the commit of a transaction of {@code statement} alone sees it.
   */
  private static String commitsWith(String statement, Tuple args) {
    return sql.withTransaction(
            c ->
                c.preparedQuery(statement)
                    .execute(args)
                    .chain(() -> c.query("show synchronous_commit").execute())
                    .map(rows -> rows.iterator().next().getString(0)))
        .await()
        .atMost(WAIT);
  }

  private static Pool pool() {
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost("localhost")
            .setPort(database.getPort())
            .setDatabase("postgres")
            .setUser("postgres");
    return PgBuilder.pool().connectingTo(options).using(vertx).build();
  }

  private static List<UUID> subjects(int n) {
    List<UUID> subjects = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      subjects.add(UUID.randomUUID());
    }
    return subjects;
  }

  /** One event per subject, as a trigger writes it. */
  private static void write(List<UUID> subjects, String type) {
    for (UUID s : subjects) {
      sql.preparedQuery(INSERT).execute(Tuple.of(type, s)).await().atMost(WAIT);
    }
  }

  private static List<Settlement> delivered(List<OutboxEvent> events) {
    return events.stream()
        .map(e -> new Settlement(e.seq(), Settlement.Outcome.delivered, 0, List.of(), null))
        .toList();
  }

  private static Set<UUID> ids(List<OutboxEvent> events) {
    return new HashSet<>(events.stream().map(OutboxEvent::id).toList());
  }
}
