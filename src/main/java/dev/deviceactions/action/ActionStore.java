package dev.deviceactions.action;

import static dev.deviceactions.common.Times.utc;

import dev.deviceactions.audit.AuditEvent;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.Batcher;
import dev.deviceactions.common.Columns;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.device.Device;
import dev.deviceactions.secret.ActionSecret;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The accepted-action path's SQL, on the reactive pool and outside any Hibernate session: two
 * autocommit statements, with no transaction held open between them, and a third before them for a
 * request with an Idempotency-Key ({@link #findKey}). {@link #readDevice} reads the facts the
 * support matrix needs; {@link #store} then writes everything an accepted action is (the action,
 * its secret, its audit event, the Idempotency-Key record and the Mac's PIN guard; the outbox row
 * comes from the table's trigger) in one data-modifying statement, all or nothing. Under load,
 * requests that arrive together share these statements ({@link Batcher}): one read for their
 * devices, one store and one commit for their actions.
 */
@ApplicationScoped
public class ActionStore {
  static final String DEVICE_COLUMNS =
      "select id, name, platform, os_version, management_mode, supervised, passcode_set,"
          + " azure_ad_joined, serial_number, owner, enrolled_at, last_check_in_at,"
          + " outstanding_pin_action_id, outstanding_pin_issued_at, management_channel,"
          + " apple_unlock_token_set from device";

  static final String READ_DEVICE = DEVICE_COLUMNS + " where id = $1 and deleted_at is null";

  static final String READ_DEVICES =
      DEVICE_COLUMNS + " where id = any ($1::uuid[]) and deleted_at is null";

  /** The bulk form of the PIN guard: each Mac whose guard is free takes its new lock's id. */
  static final String CLAIM_PINS =
      "update device d set outstanding_pin_action_id = u.action_id,"
          + " outstanding_pin_issued_at = $3::timestamptz"
          + " from unnest($1::uuid[], $2::uuid[]) as u(device_id, action_id)"
          + " where d.id = u.device_id and (d.outstanding_pin_action_id is null"
          + " or d.outstanding_pin_issued_at < $4::timestamptz) returning d.id";

  /**
   * A bulk request's actions, secrets and audit events (accepted and refused), one statement
   * whatever the number of devices: each table's rows arrive as arrays, one per column.
   */
  static final String STORE_BULK =
      "with act as (insert into device_action (id, device_id, action, state, initiated_by,"
          + " requested_at, last_updated_at, bulk_action_id, message, phone_number)"
          + " select a.id, a.device_id, $3::text, 'pending', $4::text, $5::timestamptz,"
          + " $5::timestamptz, $6::uuid, $7::text, $8::text"
          + " from unnest($1::uuid[], $2::uuid[]) as a(id, device_id) returning 1),"
          + " secret as (insert into action_secret (action_id, device_id, kind, ciphertext, issued_at)"
          + " select s.action_id, s.device_id, s.kind, s.ciphertext, $5::timestamptz"
          + " from unnest($9::uuid[], $10::uuid[], $11::text[], $12::bytea[])"
          + " as s(action_id, device_id, kind, ciphertext)),"
          + " audit as (insert into audit_event"
          + " (id, at, actor, activity, device_id, action_id, outcome, detail)"
          + " select e.id, $5::timestamptz, $4::text, '"
          + AuditLog.ACTION_REQUESTED
          + "', e.device_id, e.action_id, e.outcome, e.detail"
          + " from unnest($13::uuid[], $14::uuid[], $15::uuid[], $16::text[], $17::text[])"
          + " as e(id, device_id, action_id, outcome, detail))"
          + " select count(*)::int as stored from act";

  /**
   * Everything below hangs off {@code dev}: the enrolled device, locked for the PIN guard when the
   * action claims it (a concurrent lock waits, then sees the guard taken and finds no row). With an
   * Idempotency-Key, the key's record comes next and gates the rest: a concurrent request with the
   * same key waits for the first, finds its live record and writes nothing. The statement answers
   * how many actions it stored, 1 or 0.
   */
  static final String STORE =
      "with dev as (select id from device where id = $2::uuid and deleted_at is null"
          + " and (not $8::boolean or outstanding_pin_action_id is null"
          + " or outstanding_pin_issued_at < $9::timestamptz) %s),"
          + " idem as (insert into idempotency_key"
          + " (actor, key, action_id, device_id, action, created_at)"
          + " select $4::text, $10::text, $1::uuid, $2::uuid, $3::text, $5::timestamptz from dev"
          + " where $10::text is not null on conflict (actor, key) do update"
          + " set action_id = excluded.action_id, device_id = excluded.device_id,"
          + " action = excluded.action, created_at = excluded.created_at"
          + " where idempotency_key.created_at < $11::timestamptz returning 1),"
          + " go as (select 1 from dev where $10::text is null or exists (select 1 from idem)),"
          + " act as (insert into device_action (id, device_id, action, state, initiated_by,"
          + " requested_at, last_updated_at, message, phone_number)"
          + " select $1::uuid, $2::uuid, $3::text, 'pending', $4::text, $5::timestamptz,"
          + " $5::timestamptz, $6::text, $7::text from go returning 1),"
          + " pin as (update device set outstanding_pin_action_id = $1::uuid,"
          + " outstanding_pin_issued_at = $5::timestamptz"
          + " where id = $2::uuid and $8::boolean and exists (select 1 from go) returning 1),"
          + " secret as (insert into action_secret (action_id, device_id, kind, ciphertext, issued_at)"
          + " select $1::uuid, $2::uuid, $12::text, $13::bytea, $5::timestamptz from go"
          + " where $12::text is not null returning 1),"
          + " audit as (insert into audit_event"
          + " (id, at, actor, activity, device_id, action_id, outcome, detail)"
          + " select $14::uuid, $5::timestamptz, $4::text, '"
          + AuditLog.ACTION_REQUESTED
          + "', $2::uuid, $1::uuid, '"
          + AuditLog.ACCEPTED
          + "', $3::text from go returning 1)"
          + " select count(*)::int as stored from act";

  /**
   * Several plain accepted actions (no Idempotency-Key, no PIN guard to claim) in one statement and
   * one commit, as {@link #STORE} stores each: the rows of a removed device are left out, and the
   * statement answers the ids of the actions it stored. Each row carries its own request's columns;
   * the secrets come as arrays of their own.
   */
  static final String STORE_MANY =
      "with req as (select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[],"
          + " $5::timestamptz[], $6::text[], $7::text[], $8::uuid[]) with ordinality"
          + " as r(id, device_id, action, actor, at, message, phone_number, audit_id, n)),"
          + " go as (select req.* from req join device d on d.id = req.device_id"
          + " where d.deleted_at is null),"
          + " act as (insert into device_action (id, device_id, action, state, initiated_by,"
          + " requested_at, last_updated_at, message, phone_number)"
          + " select id, device_id, action, 'pending', actor, at, at, message, phone_number"
          + " from go order by n returning id),"
          + " secret as (insert into action_secret (action_id, device_id, kind, ciphertext, issued_at)"
          + " select s.action_id, go.device_id, s.kind, s.ciphertext, go.at"
          + " from unnest($9::uuid[], $10::text[], $11::bytea[]) as s(action_id, kind, ciphertext)"
          + " join go on go.id = s.action_id),"
          + " audit as (insert into audit_event"
          + " (id, at, actor, activity, device_id, action_id, outcome, detail)"
          + " select audit_id, at, actor, '"
          + AuditLog.ACTION_REQUESTED
          + "', device_id, id, '"
          + AuditLog.ACCEPTED
          + "', action from go order by n)"
          + " select id from act";

  /** The live record of a key and the action it created, in one read. */
  static final String FIND_KEY =
      "select k.device_id as key_device_id, k.action as key_action, a.id, a.device_id, a.action,"
          + " a.state, a.failure_reason, a.detail, a.initiated_by, a.requested_at,"
          + " a.last_updated_at, a.completed_at, a.bulk_action_id, a.not_now_count, a.message,"
          + " a.phone_number from idempotency_key k join device_action a on a.id = k.action_id"
          + " where k.actor = $1 and k.key = $2 and k.created_at >= $3";

  static final String STORE_PLAIN = STORE.formatted("");
  static final String STORE_CLAIMING_PIN = STORE.formatted("for no key update");

  /** What a live Idempotency-Key recorded: the request it was used for, and its action. */
  record KeyRecord(UUID deviceId, ActionType action, DeviceAction created) {}

  /** What one accepted action writes besides the action row. */
  record Accepted(
      DeviceAction action,
      ActionSecret secret,
      boolean claimsPin,
      Instant pinFreeBefore,
      String idempotencyKey,
      Instant keyFreshAfter) {}

  /** A bulk request's rows, each list a column. */
  record Bulk(
      UUID bulkId,
      ActionType action,
      String actor,
      Instant at,
      String message,
      String phoneNumber,
      List<DeviceAction> actions,
      List<ActionSecret> secrets,
      List<AuditEvent> events) {}

  private final Pool database;
  private final Batcher<UUID, Device> reads;
  private final Batcher<Accepted, Boolean> writes;

  public ActionStore(Pool database, DeviceActionsConfig config) {
    this.database = database;
    DeviceActionsConfig.Actions batching = config.actions();
    this.reads =
        new Batcher<>(
            this::readOneDevice,
            this::readEachDevice,
            batching.statementsInFlight(),
            batching.maxBatch());
    this.writes =
        new Batcher<>(
            this::storeOne, this::storeMany, batching.statementsInFlight(), batching.maxBatch());
  }

  /** A transaction on one connection, for a bulk request's three statements. */
  <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
    return database.withTransaction(work);
  }

  /** The enrolled devices among {@code ids}, on a bulk request's connection or the pool. */
  Uni<List<Device>> readDevices(SqlClient client, Collection<UUID> ids) {
    return client
        .preparedQuery(READ_DEVICES)
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false)
                    .map(row -> Device.from(Columns.of(row)))
                    .toList());
  }

  /** Claims the guards of these Macs (device id to its new lock's id): the ids that got theirs. */
  Uni<Set<UUID>> claimPins(
      SqlConnection connection, Map<UUID, UUID> locks, Instant at, Instant freeBefore) {
    if (locks.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    Tuple args =
        Tuple.of(
            locks.keySet().toArray(UUID[]::new),
            locks.values().toArray(UUID[]::new),
            utc(at),
            utc(freeBefore));
    return connection
        .preparedQuery(CLAIM_PINS)
        .execute(args)
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false)
                    .map(r -> r.getUUID("id"))
                    .collect(Collectors.toSet()));
  }

  Uni<Void> storeBulk(SqlConnection connection, Bulk b) {
    Tuple args =
        Tuple.tuple()
            .addArrayOfUUID(b.actions().stream().map(a -> a.id).toArray(UUID[]::new))
            .addArrayOfUUID(b.actions().stream().map(a -> a.deviceId).toArray(UUID[]::new))
            .addString(b.action().name())
            .addString(b.actor())
            .addOffsetDateTime(utc(b.at()))
            .addUUID(b.bulkId())
            .addString(b.message())
            .addString(b.phoneNumber())
            .addArrayOfUUID(b.secrets().stream().map(s -> s.actionId).toArray(UUID[]::new))
            .addArrayOfUUID(b.secrets().stream().map(s -> s.deviceId).toArray(UUID[]::new))
            .addArrayOfString(b.secrets().stream().map(s -> s.kind.name()).toArray(String[]::new))
            .addValue(
                b.secrets().stream().map(s -> Buffer.buffer(s.ciphertext)).toArray(Buffer[]::new))
            .addArrayOfUUID(b.events().stream().map(e -> e.id).toArray(UUID[]::new))
            .addArrayOfUUID(b.events().stream().map(e -> e.deviceId).toArray(UUID[]::new))
            .addArrayOfUUID(b.events().stream().map(e -> e.actionId).toArray(UUID[]::new))
            .addArrayOfString(b.events().stream().map(e -> e.outcome).toArray(String[]::new))
            .addArrayOfString(b.events().stream().map(e -> e.detail).toArray(String[]::new));
    return connection.preparedQuery(STORE_BULK).execute(args).replaceWithVoid();
  }

  /**
   * The enrolled device, or null. Not managed by any session: read it, don't change it. Requests
   * that arrive together read their devices in one statement ({@link Batcher}).
   */
  Uni<Device> readDevice(UUID id) {
    return reads.submit(id);
  }

  private Uni<Device> readOneDevice(UUID id) {
    return database
        .preparedQuery(READ_DEVICE)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.iterator().hasNext() ? Device.from(Columns.of(rows.iterator().next())) : null);
  }

  /** The live record of {@code key} for {@code actor}, or null. */
  Uni<KeyRecord> findKey(String actor, String key, Instant freshAfter) {
    return database
        .preparedQuery(FIND_KEY)
        .execute(Tuple.of(actor, key, utc(freshAfter)))
        .map(rows -> rows.iterator().hasNext() ? keyRecord(rows.iterator().next()) : null);
  }

  /** Each device of {@code ids} in their order: null where none is enrolled. */
  private Uni<List<Device>> readEachDevice(List<UUID> ids) {
    return readDevices(database, ids)
        .map(
            devices -> {
              Map<UUID, Device> found = new HashMap<>();
              devices.forEach(device -> found.put(device.id, device));
              return ids.stream().map(found::get).toList();
            });
  }

  /**
   * Stores the action and everything that goes with it, or nothing: false when the device was
   * removed, its PIN guard was taken, or the key was claimed since it was read. Plain actions
   * accepted together are stored together, one statement and one commit ({@link Batcher}); one that
   * claims a PIN guard or an Idempotency-Key goes alone.
   */
  Uni<Boolean> store(Accepted a) {
    return a.claimsPin() || a.idempotencyKey() != null ? storeOne(a) : writes.submit(a);
  }

  private Uni<List<Boolean>> storeMany(List<Accepted> batch) {
    List<DeviceAction> actions = batch.stream().map(Accepted::action).toList();
    List<ActionSecret> secrets =
        batch.stream().map(Accepted::secret).filter(Objects::nonNull).toList();
    Tuple args =
        Tuple.tuple()
            .addArrayOfUUID(actions.stream().map(a -> a.id).toArray(UUID[]::new))
            .addArrayOfUUID(actions.stream().map(a -> a.deviceId).toArray(UUID[]::new))
            .addArrayOfString(actions.stream().map(a -> a.action.name()).toArray(String[]::new))
            .addArrayOfString(actions.stream().map(a -> a.initiatedBy).toArray(String[]::new))
            .addArrayOfOffsetDateTime(
                actions.stream().map(a -> utc(a.requestedAt)).toArray(OffsetDateTime[]::new))
            .addArrayOfString(actions.stream().map(a -> a.message).toArray(String[]::new))
            .addArrayOfString(actions.stream().map(a -> a.phoneNumber).toArray(String[]::new))
            .addArrayOfUUID(actions.stream().map(a -> UUID.randomUUID()).toArray(UUID[]::new))
            .addArrayOfUUID(secrets.stream().map(s -> s.actionId).toArray(UUID[]::new))
            .addArrayOfString(secrets.stream().map(s -> s.kind.name()).toArray(String[]::new))
            .addValue(
                secrets.stream().map(s -> Buffer.buffer(s.ciphertext)).toArray(Buffer[]::new));
    return database
        .preparedQuery(STORE_MANY)
        .execute(args)
        .map(
            rows -> {
              Set<UUID> stored = new HashSet<>();
              rows.forEach(row -> stored.add(row.getUUID("id")));
              return actions.stream().map(a -> stored.contains(a.id)).toList();
            });
  }

  private Uni<Boolean> storeOne(Accepted a) {
    DeviceAction action = a.action();
    ActionSecret secret = a.secret();
    Tuple args =
        Tuple.tuple()
            .addUUID(action.id)
            .addUUID(action.deviceId)
            .addString(action.action.name())
            .addString(action.initiatedBy)
            .addOffsetDateTime(utc(action.requestedAt))
            .addString(action.message)
            .addString(action.phoneNumber)
            .addBoolean(a.claimsPin())
            .addOffsetDateTime(utc(a.pinFreeBefore()))
            .addString(a.idempotencyKey())
            .addOffsetDateTime(utc(a.keyFreshAfter()))
            .addString(secret == null ? null : secret.kind.name())
            .addValue(secret == null ? null : Buffer.buffer(secret.ciphertext))
            .addUUID(UUID.randomUUID());
    return database
        .preparedQuery(a.claimsPin() ? STORE_CLAIMING_PIN : STORE_PLAIN)
        .execute(args)
        .map(rows -> rows.iterator().next().getInteger("stored") == 1);
  }

  private static KeyRecord keyRecord(Row row) {
    return new KeyRecord(
        row.getUUID("key_device_id"),
        ActionType.valueOf(row.getString("key_action")),
        DeviceAction.from(Columns.of(row)));
  }
}
