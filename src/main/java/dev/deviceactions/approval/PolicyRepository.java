package dev.deviceactions.approval;

import dev.deviceactions.common.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The SQL of approval policies; creating one also writes its audit event, in one statement. */
@ApplicationScoped
public class PolicyRepository {
  static final String POLICIES =
      """
      select * from approval_policy order by created_at, id
      """;

  /** $1 id, $2 display name, $3 actions, $4 minimum devices, $5 actor, $6 now, $7 audit id. */
  static final String CREATE_POLICY =
      """
      with policy as (
        insert into approval_policy
          (id, display_name, actions, minimum_devices, created_by, created_at, updated_at)
        values ($1, $2, $3::text[], $4, $5, $6, $6)
        returning *),
      audit as (
        insert into audit_event (id, at, actor, activity, outcome, detail)
        select $7, $6, $5, 'approvalPolicyCreated', 'ok', 'policy ' || id || ': ' || display_name
        from policy)
      select * from policy
      """;

  static final String FIND_POLICY =
      """
      select * from approval_policy where id = $1
      """;

  /**
   * $1 policy id, $2 display name, $3 actions, $4 minimum devices (each null: unchanged), $5 now.
   */
  static final String CHANGE_POLICY =
      """
      update approval_policy
      set display_name = coalesce($2, display_name),
          actions = coalesce($3::text[], actions),
          minimum_devices = coalesce($4, minimum_devices),
          updated_at = $5
      where id = $1
      returning *
      """;

  static final String DELETE_POLICY =
      """
      delete from approval_policy where id = $1 returning *
      """;

  private final Pool database;

  public PolicyRepository(Pool database) {
    this.database = database;
  }

  Uni<List<ApprovalPolicy>> policies() {
    return database
        .preparedQuery(POLICIES)
        .execute()
        .map(rows -> Rows.all(rows).stream().map(ApprovalPolicy::from).toList());
  }

  Uni<ApprovalPolicy> createPolicy(NewPolicyRequest p, String actor, Instant now) {
    Tuple args =
        Tuple.tuple()
            .addUUID(UUID.randomUUID())
            .addString(p.displayName().strip())
            .addArrayOfString(
                p.actions().stream().distinct().map(Enum::name).toArray(String[]::new))
            .addInteger(p.minimumDevices())
            .addString(actor)
            .addOffsetDateTime(Times.utc(now))
            .addUUID(UUID.randomUUID());
    return Rows.one(database, CREATE_POLICY, args).map(ApprovalPolicy::from);
  }

  /** The policy, or null. */
  Uni<ApprovalPolicy> findPolicy(UUID id) {
    return Rows.maybe(database, FIND_POLICY, Tuple.of(id))
        .map(r -> r == null ? null : ApprovalPolicy.from(r));
  }

  /** Applies an approved change: the changed policy, or null when it no longer exists. */
  Uni<ApprovalPolicy> changePolicy(UUID id, PolicyChange c, Instant now) {
    Tuple args =
        Tuple.tuple()
            .addUUID(id)
            .addString(c.displayName())
            .addArrayOfString(
                c.actions() == null
                    ? null
                    : c.actions().stream().distinct().map(Enum::name).toArray(String[]::new))
            .addInteger(c.minimumDevices())
            .addOffsetDateTime(Times.utc(now));
    return Rows.maybe(database, CHANGE_POLICY, args)
        .map(r -> r == null ? null : ApprovalPolicy.from(r));
  }

  /** Deletes an approved policy: whether it still existed. */
  Uni<Boolean> deletePolicy(UUID id) {
    return Rows.maybe(database, DELETE_POLICY, Tuple.of(id)).map(r -> r != null);
  }
}
