package dev.deviceactions.events;

import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * The outbox's SQL. The relay works outside any request and any Hibernate session, on the reactive
 * pool itself: each statement here is its own short transaction, and no lock is held while an event
 * is on the wire (a lease marks it instead).
 */
@ApplicationScoped
public class OutboxRepository {
  /**
   * A condition true of every row, that lets the relay's writes (a lease, a settlement, a discard)
   * commit without waiting for the WAL flush: it turns {@code synchronous_commit} off for its own
   * statement's transaction only ({@code set_config}'s {@code is_local}), and PostgreSQL evaluates
   * it for each row the statement writes, so before the commit of any statement that wrote. The
   * relay's commits then take no flush from the accepted actions' commits. What a crash of
   * PostgreSQL itself could lose of them (its last fraction of a second) is an event delivered or
   * leased again, which the relay's at-least-once promise allows; the events themselves come from
   * the data transactions, which wait for their flush as before.
   */
  static final String COMMIT_WITHOUT_FLUSH =
      "set_config('synchronous_commit', 'off', true) is not null";

  /**
   * Leases the oldest pending event of up to $1 subjects, for $2 ms. Only a subject's oldest
   * pending event qualifies, so one subject's events go out one after another in commit order, and
   * SKIP LOCKED with the lease keeps relays on other replicas off the same events.
   */
  static final String CLAIM =
      "with heads as (select o.seq from event_outbox o where o.state = 'pending'"
          + " and o.next_attempt_at <= now() and (o.leased_until is null or o.leased_until < now())"
          + " and not exists (select 1 from event_outbox p where p.state = 'pending'"
          + " and p.subject = o.subject and p.seq < o.seq)"
          + " order by o.seq limit $1 for update skip locked)"
          + " update event_outbox e set leased_until = now() + $2 * interval '1 millisecond'"
          + " from heads h where e.seq = h.seq and "
          + COMMIT_WITHOUT_FLUSH
          + " returning e.seq, e.id, e.type, e.subject,"
          + " e.occurred_at, e.data, e.attempts, e.aging_since, e.delivered_to";

  /** Deletes the delivered events and records the outcome of the others, in one statement. */
  static final String SETTLE =
      "with delivered as (delete from event_outbox where seq = any ($1::bigint[]) and "
          + COMMIT_WITHOUT_FLUSH
          + ")"
          + " update event_outbox e set state = u.state, attempts = e.attempts + 1,"
          + " leased_until = null, last_attempt_at = now(),"
          + " next_attempt_at = now() + u.delay * interval '1 millisecond',"
          + " delivered_to = e.delivered_to || string_to_array(u.sinks, ' '), last_error = u.error,"
          + " failed_at = case when u.state = 'failed' then now() end"
          + " from unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[])"
          + " as u(seq, state, delay, sinks, error) where e.seq = u.seq and "
          + COMMIT_WITHOUT_FLUSH;

  /**
   * With no sink configured, an event is delivered to all (none) of them, unless another replica
   * relays: one that said so within the last $2 ms.
   */
  static final String DISCARD =
      "delete from event_outbox where seq in (select seq from event_outbox"
          + " where state = 'pending' and not exists (select 1 from event_relay"
          + " where seen_at > now() - $2 * interval '1 millisecond')"
          + " order by seq limit $1 for update skip locked) and "
          + COMMIT_WITHOUT_FLUSH;

  /**
   * A replica with sinks says it relays. Its commit waits for the flush, unlike the relay's other
   * writes: a row lost in a crash of PostgreSQL would let the replicas without a sink discard what
   * this one is to deliver.
   */
  static final String RELAYING =
      "insert into event_relay (instance, seen_at) values ($1, now())"
          + " on conflict (instance) do update set seen_at = now()";

  /** Replicas silent for a day (killed, so they never took their row away) are forgotten. */
  static final String FORGET_SILENT_RELAYS =
      "delete from event_relay where seen_at < now() - interval '1 day'";

  static final String STOPPED_RELAYING = "delete from event_relay where instance = $1";

  /** Milliseconds until the next subject's head is due (null: nothing pending). */
  static final String NEXT_DUE =
      "select (extract(epoch from min(greatest(o.next_attempt_at,"
          + " coalesce(o.leased_until, o.next_attempt_at))) - now()) * 1000)::bigint as due"
          + " from event_outbox o where o.state = 'pending' and not exists (select 1 from"
          + " event_outbox p where p.state = 'pending' and p.subject = o.subject and p.seq < o.seq)";

  static final String COLUMNS =
      "id, type, subject, occurred_at, state, attempts, last_attempt_at, next_attempt_at,"
          + " last_error, failed_at, delivered_to";

  static final String LIST =
      "select "
          + COLUMNS
          + " from event_outbox where state = $1"
          + " and ($2::timestamptz is null or (date_trunc('milliseconds', occurred_at), id) < ($2, $3))"
          + " order by date_trunc('milliseconds', occurred_at) desc, id desc limit $4";

  static final String REPLAY =
      "update event_outbox set state = 'pending', attempts = 0, aging_since = now(),"
          + " next_attempt_at = now(), leased_until = null, failed_at = null"
          + " where state = 'failed' and ($1::uuid is null or id = $1) returning ";

  static final String PURGE_FAILED =
      "delete from event_outbox where state = 'failed' and failed_at < now() - $1 * interval"
          + " '1 millisecond'";

  static final String FIND = "select " + COLUMNS + " from event_outbox where id = $1";

  private final Pool database;

  public OutboxRepository(Pool database) {
    this.database = database;
  }

  Uni<List<OutboxEvent>> claim(int limit, long leaseMillis) {
    return database
        .preparedQuery(CLAIM)
        .execute(Tuple.of(limit, leaseMillis))
        .map(rows -> map(rows, OutboxEvent::of));
  }

  Uni<Void> settle(List<Settlement> settlements) {
    return database.preparedQuery(SETTLE).execute(settleArgs(settlements)).replaceWithVoid();
  }

  /** {@link #SETTLE}'s arguments: the delivered events, then the others' outcomes, as columns. */
  static Tuple settleArgs(List<Settlement> settlements) {
    List<Long> delivered = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    List<String> states = new ArrayList<>();
    List<Long> delays = new ArrayList<>();
    List<String> sinks = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Settlement s : settlements) {
      if (s.outcome() == Settlement.Outcome.delivered) {
        delivered.add(s.seq());
        continue;
      }
      seqs.add(s.seq());
      states.add(s.outcome() == Settlement.Outcome.failed ? "failed" : "pending");
      delays.add(s.delayMillis());
      sinks.add(String.join(" ", s.delivered()));
      errors.add(
          s.error() == null || s.error().length() <= 500 ? s.error() : s.error().substring(0, 500));
    }
    return Tuple.of(
            delivered.toArray(Long[]::new),
            seqs.toArray(Long[]::new),
            states.toArray(String[]::new),
            delays.toArray(Long[]::new),
            sinks.toArray(String[]::new))
        .addArrayOfString(errors.toArray(String[]::new));
  }

  Uni<Integer> discard(int limit, long relayedWithinMillis) {
    return database
        .preparedQuery(DISCARD)
        .execute(Tuple.of(limit, relayedWithinMillis))
        .map(RowSet::rowCount);
  }

  Uni<Void> relaying(String instance) {
    return database.preparedQuery(RELAYING).execute(Tuple.of(instance)).replaceWithVoid();
  }

  Uni<Void> stoppedRelaying(String instance) {
    return database.preparedQuery(STOPPED_RELAYING).execute(Tuple.of(instance)).replaceWithVoid();
  }

  Uni<Integer> forgetSilentRelays() {
    return database.preparedQuery(FORGET_SILENT_RELAYS).execute().map(RowSet::rowCount);
  }

  /** Null when nothing is pending. */
  Uni<Long> millisUntilNextDue() {
    return database.query(NEXT_DUE).execute().map(rows -> rows.iterator().next().getLong("due"));
  }

  Uni<List<EventDeliveryView>> list(String state, Cursor after, int limit) {
    Tuple args =
        Tuple.of(
            state,
            after == null ? null : Times.utc(after.at()),
            after == null ? null : after.id(),
            limit);
    return database.preparedQuery(LIST).execute(args).map(rows -> map(rows, EventDeliveryView::of));
  }

  Uni<EventDeliveryView> find(UUID id) {
    return database
        .preparedQuery(FIND)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.iterator().hasNext() ? EventDeliveryView.of(rows.iterator().next()) : null);
  }

  /**
   * Deletes failed deliveries kept longer than {@code retentionMillis}: the outbox stays bounded.
   */
  Uni<Integer> purgeFailed(long retentionMillis) {
    return database
        .preparedQuery(PURGE_FAILED)
        .execute(Tuple.of(retentionMillis))
        .map(RowSet::rowCount);
  }

  /** Puts every failed delivery back to pending; their ce-ids stay. */
  Uni<Integer> replayFailed() {
    return database
        .preparedQuery(REPLAY + "id")
        .execute(Tuple.of((UUID) null))
        .map(RowSet::rowCount);
  }

  /**
   * Puts one failed delivery back to pending and answers it as it is then (null when it was not
   * failed): read in the same statement, since the relay may deliver and delete it at once.
   */
  Uni<EventDeliveryView> replay(UUID id) {
    return database
        .preparedQuery(REPLAY + COLUMNS)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.iterator().hasNext() ? EventDeliveryView.of(rows.iterator().next()) : null);
  }

  private static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> f) {
    return StreamSupport.stream(rows.spliterator(), false).map(f).toList();
  }
}
