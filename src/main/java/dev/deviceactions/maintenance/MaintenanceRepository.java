package dev.deviceactions.maintenance;

import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.secret.SecretKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The sweep's set-based statements. Each handles at most {@code limit} rows, oldest first, and
 * locks them with SKIP LOCKED: a row another sweep holds is left to that sweep, so overlapping
 * sweeps on many replicas never process or count a row twice.
 */
@ApplicationScoped
public class MaintenanceRepository {
  public static final String SWEEP_ACTOR = "system:sweep";

  /** Deletes the value of expired secrets of one kind; a purged PIN no longer guards its Mac. */
  public Uni<Long> purgeSecrets(SecretKind kind, Instant issuedBefore, int limit) {
    String sql =
        "with expired as (select action_id from action_secret where kind = :kind"
            + " and ciphertext is not null and issued_at < :before"
            + " order by issued_at limit :limit for update skip locked),"
            + " purged as (update action_secret s set ciphertext = null from expired e"
            + " where s.action_id = e.action_id returning s.action_id, s.device_id),"
            + " released as (update device d set outstanding_pin_action_id = null,"
            + " outstanding_pin_issued_at = null from purged p"
            + " where d.id = p.device_id and d.outstanding_pin_action_id = p.action_id)"
            + " select count(*) from purged";
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(sql, Long.class)
                    .setParameter("kind", kind.name())
                    .setParameter("before", issuedBefore)
                    .setParameter("limit", limit)
                    .getSingleResult());
  }

  /** Fails restarts not done by their deadline, with failureReason timedOut, and audits each. */
  public Uni<Long> timeOutRestarts(Instant requestedBefore, Instant now, int limit) {
    String sql =
        "with overdue as (select id from device_action where action = 'rebootNow'"
            + " and state in ('pending', 'active') and requested_at < :before"
            + " order by requested_at limit :limit for update skip locked),"
            + " failed as (update device_action a set state = 'failed', failure_reason = 'timedOut',"
            + " completed_at = :now, last_updated_at = :now from overdue o where a.id = o.id"
            + " returning a.id, a.device_id),"
            + " audited as (insert into audit_event (id, at, actor, activity, device_id, action_id,"
            + " outcome, detail) select gen_random_uuid(), :now, :actor, :activity, device_id, id,"
            + " 'failed', 'timedOut' from failed)"
            + " select count(*) from failed";
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(sql, Long.class)
                    .setParameter("before", requestedBefore)
                    .setParameter("limit", limit)
                    .setParameter("now", now)
                    .setParameter("actor", SWEEP_ACTOR)
                    .setParameter("activity", AuditLog.ACTION_TIMED_OUT)
                    .getSingleResult());
  }
}
