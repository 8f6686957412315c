package dev.deviceactions.maintenance;

import static dev.deviceactions.common.Times.utc;

import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.secret.SecretKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * The sweep's set-based statements, each one autocommit statement on the reactive pool (as a
 * Hibernate native query, each run added a query plan that was never found again:
 * SweepQueryPlanTest). Each handles at most {@code limit} rows, oldest first, and locks them with
 * SKIP LOCKED: a row another sweep holds is left to that sweep, so overlapping sweeps on many
 * replicas never process or count a row twice.
 *
 * <p>The updates find the batch's rows by primary key ({@code = any (array(...))}), not by joining
 * the batch: a join let the planner hash the whole table on every batch, so that a sweep cost
 * (expired rows / batch size) × table size instead of following the expired rows alone.
 */
@ApplicationScoped
public class MaintenanceRepository {
  public static final String SWEEP_ACTOR = "system:sweep";

  /** Deletes the value of expired secrets of one kind; a purged PIN no longer guards its Mac. */
  static final String PURGE_SECRETS =
      "with expired as (select action_id from action_secret where kind = $1"
          + " and ciphertext is not null and issued_at < $2"
          + " order by issued_at limit $3 for update skip locked),"
          + " purged as (update action_secret s set ciphertext = null"
          + " where s.action_id = any (array(select action_id from expired))"
          + " returning s.action_id, s.device_id),"
          + " released as (update device d set outstanding_pin_action_id = null,"
          + " outstanding_pin_issued_at = null"
          + " where d.id = any (array(select device_id from purged))"
          + " and d.outstanding_pin_action_id in (select action_id from purged))"
          + " select count(*) from purged";

  /**
   * Fails restarts not done by their deadline, with failureReason timedOut, and audits each. The
   * row records what reads showed since the deadline ({@link RestartDeadline}): failed at the
   * deadline, requested_at + timeout; the audit event is dated when the sweep recorded it.
   */
  static final String TIME_OUT_RESTARTS =
      "with overdue as (select id from device_action where "
          + RestartDeadline.overdueSql("device_action", "$1::timestamptz")
          + " and state in ('pending', 'active')"
          + " order by requested_at limit $3 for update skip locked),"
          + " failed as (update device_action a set state = 'failed', failure_reason = 'timedOut',"
          + " completed_at = a.requested_at + $2 * interval '1 millisecond',"
          + " last_updated_at = a.requested_at + $2 * interval '1 millisecond'"
          + " where a.id = any (array(select id from overdue)) returning a.id, a.device_id),"
          + " audited as (insert into audit_event (id, at, actor, activity, device_id, action_id,"
          + " outcome, detail) select gen_random_uuid(), $4, $5, $6, device_id, id,"
          + " 'failed', 'timedOut' from failed)"
          + " select count(*) from failed";

  private final Pool database;

  public MaintenanceRepository(Pool database) {
    this.database = database;
  }

  public Uni<Long> purgeSecrets(SecretKind kind, Instant issuedBefore, int limit) {
    return count(PURGE_SECRETS, Tuple.of(kind.name(), utc(issuedBefore), limit));
  }

  public Uni<Long> timeOutRestarts(Duration timeout, Instant now, int limit) {
    return count(
        TIME_OUT_RESTARTS,
        Tuple.of(utc(now.minus(timeout)), timeout.toMillis(), limit, utc(now))
            .addString(SWEEP_ACTOR)
            .addString(AuditLog.ACTION_TIMED_OUT));
  }

  private Uni<Long> count(String statement, Tuple args) {
    return database
        .preparedQuery(statement)
        .execute(args)
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
