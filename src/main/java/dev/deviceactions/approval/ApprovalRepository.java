package dev.deviceactions.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.common.Columns;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of approval requests, on the reactive pool: each write is one statement that also writes
 * its audit event, so a step and its record commit together. A decision is a conditional update of
 * the request's status, which is what makes it happen once.
 */
@ApplicationScoped
public class ApprovalRepository {
  /**
   * $1 id, $2 action, $3 bulk, $4 device ids, $5 message, $6 phone number, $7 Idempotency-Key, $8
   * policy id, $9 policy change (JSON text), $10 requester, $11 now, $12 justification, $13 expires
   * at, $14 audit id, $15 the one device (null for many).
   */
  static final String REQUEST =
      """
      with request as (
        insert into approval_request
          (id, status, action, bulk, device_ids, message, phone_number, idempotency_key, policy_id,
           policy_change, requested_by, requested_at, justification, expires_at, last_modified_at)
        values ($1, 'needsApproval', $2, $3, $4::uuid[], $5, $6, $7, $8, $9::text::jsonb, $10, $11,
                $12, $13, $11)
        returning *),
      audit as (
        insert into audit_event (id, at, actor, activity, device_id, outcome, detail)
        select $14, $11, $10, 'approvalRequested', $15, 'accepted',
               'request ' || id || ': ' || action || ', ' || cardinality(device_ids) || ' device(s)'
        from request)
      select * from request
      """;

  /** A covered request refused before it became one (justificationRequired). */
  static final String REFUSED =
      """
      insert into audit_event (id, at, actor, activity, device_id, outcome, detail)
      values ($1, $2, $3, 'approvalRequested', $4, $5, $6)
      """;

  static final String FIND_REQUEST =
      """
      select * from approval_request where id = $1
      """;

  /**
   * A page of requests, newest first. $1 status as read (null: any): an undecided request past its
   * time is expired, not needsApproval; $2 now; $3 requester (null: any); $4, $5 the cursor; $6
   * limit.
   */
  static final String LIST_REQUESTS =
      """
      select * from approval_request r
      where ($1::text is null
             or ($1 = 'needsApproval' and r.status = 'needsApproval' and r.expires_at > $2)
             or ($1 = 'expired' and (r.status = 'expired'
                                     or (r.status = 'needsApproval' and r.expires_at <= $2)))
             or ($1 not in ('needsApproval', 'expired') and r.status = $1))
        and ($3::text is null or r.requested_by = $3)
        and ($4::timestamptz is null or (r.requested_at, r.id) < ($4, $5))
      order by r.requested_at desc, r.id desc
      limit $6
      """;

  /**
   * Decides an open request: approved, rejected (by another than its requester) or cancelled (by
   * its requester). Only one of any number of concurrent decisions finds it open. $1 id, $2 new
   * status, $3 actor, $4 now, $5 justification, $6 audit id, $7 activity, $8 whether the actor is
   * the requester (a cancel) or must not be.
   */
  static final String DECIDE =
      """
      with decided as (
        update approval_request
        set status = $2, decided_by = $3, decided_at = $4, decision_justification = $5,
            last_modified_at = $4
        where id = $1 and status = 'needsApproval' and expires_at > $4
          and (requested_by = $3) = $8
        returning *),
      audit as (
        insert into audit_event (id, at, actor, activity, device_id, outcome, detail)
        select $6, $4, $3, $7,
               case when cardinality(device_ids) = 1 and policy_id is null then device_ids[1] end,
               'ok', 'request ' || id || ': ' || action
        from decided)
      select * from decided
      """;

  /**
   * Records what the approved operation gave. $1 id, $2 result (JSON text), $3 now, $4 audit id.
   */
  static final String COMPLETE =
      """
      with completed as (
        update approval_request
        set status = 'completed', result = $2::text::jsonb, last_modified_at = $3
        where id = $1 and status = 'approved'
        returning *),
      audit as (
        insert into audit_event (id, at, actor, activity, outcome, detail)
        select $4, $3, requested_by, 'approvalCompleted',
               coalesce(result ->> 'code', 'ok'), 'request ' || id || ': ' || action
        from completed)
      select * from completed
      """;

  /**
   * Writes down (status, audit event) up to $2 requests that reads already show as expired at $1,
   * oldest first; SKIP LOCKED keeps concurrent sweeps apart. $3 the sweep's actor.
   */
  static final String EXPIRE =
      """
      with lapsed as (
        select id from approval_request
        where status = 'needsApproval' and expires_at <= $1
        order by expires_at limit $2
        for update skip locked),
      expired as (
        update approval_request r
        set status = 'expired', decided_at = r.expires_at, last_modified_at = r.expires_at
        where r.id = any (array(select id from lapsed))
        returning r.id, r.action),
      audit as (
        insert into audit_event (id, at, actor, activity, outcome, detail)
        select gen_random_uuid(), $1, $3, 'approvalExpired', 'expired',
               'request ' || id || ': ' || action
        from expired)
      select count(*)::bigint as expired from expired
      """;

  private final Pool database;
  private final ObjectMapper json;

  public ApprovalRepository(Pool database, ObjectMapper json) {
    this.database = database;
    this.json = json;
  }

  Uni<ApprovalRequest> request(ApprovalRequest r) {
    Tuple args =
        Tuple.tuple()
            .addUUID(r.id())
            .addString(r.action())
            .addBoolean(r.bulk())
            .addArrayOfUUID(r.deviceIds().toArray(UUID[]::new))
            .addString(r.message())
            .addString(r.phoneNumber())
            .addString(r.idempotencyKey())
            .addUUID(r.policyId())
            .addString(write(r.policyChange()))
            .addString(r.requestedBy())
            .addOffsetDateTime(Times.utc(r.requestedAt()))
            .addString(r.justification())
            .addOffsetDateTime(Times.utc(r.expiresAt()))
            .addUUID(UUID.randomUUID())
            .addUUID(r.deviceIds().size() == 1 && !r.bulk() ? r.deviceIds().getFirst() : null);
    return Rows.one(database, REQUEST, args).map(this::request);
  }

  Uni<Void> refused(String actor, UUID deviceId, String code, String detail, Instant now) {
    Tuple args = Tuple.of(UUID.randomUUID(), Times.utc(now), actor, deviceId, code, detail);
    return database.preparedQuery(REFUSED).execute(args).replaceWithVoid();
  }

  /** The request, or null. */
  Uni<ApprovalRequest> find(UUID id) {
    return Rows.maybe(database, FIND_REQUEST, Tuple.of(id)).map(r -> r == null ? null : request(r));
  }

  Uni<List<ApprovalRequest>> list(
      ApprovalStatus status, String requestedBy, Instant now, Cursor cursor, int limit) {
    Tuple args =
        Tuple.tuple()
            .addString(status == null ? null : status.name())
            .addOffsetDateTime(Times.utc(now))
            .addString(requestedBy)
            .addOffsetDateTime(cursor == null ? null : Times.utc(cursor.at()))
            .addUUID(cursor == null ? null : cursor.id())
            .addInteger(limit);
    return database
        .preparedQuery(LIST_REQUESTS)
        .execute(args)
        .map(rows -> Rows.all(rows).stream().map(this::request).toList());
  }

  /** The decided request, or null when it was not open to this decision (see {@link #DECIDE}). */
  Uni<ApprovalRequest> decide(
      UUID id,
      ApprovalStatus to,
      String actor,
      String justification,
      String activity,
      boolean byRequester,
      Instant now) {
    Tuple args =
        Tuple.tuple()
            .addUUID(id)
            .addString(to.name())
            .addString(actor)
            .addOffsetDateTime(Times.utc(now))
            .addString(justification)
            .addUUID(UUID.randomUUID())
            .addString(activity)
            .addBoolean(byRequester);
    return Rows.maybe(database, DECIDE, args).map(r -> r == null ? null : request(r));
  }

  /** The completed request, or null if it was not (or no longer) approved. */
  Uni<ApprovalRequest> complete(UUID id, ApprovalResult result, Instant now) {
    Tuple args = Tuple.of(id, write(result), Times.utc(now), UUID.randomUUID());
    return Rows.maybe(database, COMPLETE, args).map(r -> r == null ? null : request(r));
  }

  Uni<Long> expire(Instant now, int limit, String actor) {
    return Rows.one(database, EXPIRE, Tuple.of(Times.utc(now), limit, actor))
        .map(r -> r.getLong("expired"));
  }

  /** A request from its row. */
  ApprovalRequest request(Row row) {
    Columns columns = Columns.of(row);
    return new ApprovalRequest(
        row.getUUID("id"),
        ApprovalStatus.valueOf(row.getString("status")),
        row.getString("action"),
        row.getBoolean("bulk"),
        List.of(row.getArrayOfUUIDs("device_ids")),
        row.getString("message"),
        row.getString("phone_number"),
        row.getString("idempotency_key"),
        row.getUUID("policy_id"),
        read(row.getValue("policy_change"), PolicyChange.class),
        row.getString("requested_by"),
        columns.instant("requested_at"),
        row.getString("justification"),
        row.getString("decided_by"),
        columns.instant("decided_at"),
        row.getString("decision_justification"),
        columns.instant("expires_at"),
        read(row.getValue("result"), ApprovalResult.class),
        columns.instant("last_modified_at"));
  }

  /** A request from PostgreSQL's JSON of its row ({@code to_jsonb}), as the outbox holds it. */
  ApprovalRequest request(JsonObject row) {
    Columns c = Columns.of(row);
    JsonArray devices = row.getJsonArray("device_ids");
    return new ApprovalRequest(
        c.uuid("id"),
        ApprovalStatus.valueOf(c.string("status")),
        c.string("action"),
        c.bool("bulk"),
        devices.stream().map(d -> UUID.fromString((String) d)).toList(),
        c.string("message"),
        c.string("phone_number"),
        c.string("idempotency_key"),
        c.uuid("policy_id"),
        read(row.getValue("policy_change"), PolicyChange.class),
        c.string("requested_by"),
        c.instant("requested_at"),
        c.string("justification"),
        c.string("decided_by"),
        c.instant("decided_at"),
        c.string("decision_justification"),
        c.instant("expires_at"),
        read(row.getValue("result"), ApprovalResult.class),
        c.instant("last_modified_at"));
  }

  /** A jsonb value as the client returns it (a Vert.x JSON object), read as {@code type}. */
  <T> T read(Object value, Class<T> type) {
    if (value == null) {
      return null;
    }
    try {
      return json.readValue(value.toString(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable " + type.getSimpleName() + " in the database", e);
    }
  }

  private String write(Object value) {
    try {
      return value == null ? null : json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unwritable " + value.getClass().getSimpleName(), e);
    }
  }
}
