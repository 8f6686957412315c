package dev.deviceactions.agent;

import static dev.deviceactions.common.Times.utc;

import dev.deviceactions.action.ActionState;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.common.Columns;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * A check-in's SQL: one autocommit statement, on the reactive pool outside any Hibernate session,
 * records the facts the device reports and its check-in time, and hands over its pending commands
 * (oldest first, marked active, FOR UPDATE SKIP LOCKED so that a concurrent check-in of the same
 * device takes none of them twice) with their secrets; none to a device managed over Apple MDM,
 * whose commands go only that way.
 */
@ApplicationScoped
public class CheckinRepository {
  static final String CHECK_IN =
      "with dev as (update device set os_version = coalesce($2::text, os_version),"
          + " passcode_set = coalesce($3::boolean, passcode_set),"
          + " supervised = coalesce($4::boolean, supervised), last_check_in_at = $5::timestamptz"
          + " where id = $1::uuid and deleted_at is null returning id, management_channel),"
          + " due as (select a.id from device_action a where a.device_id = $1::uuid"
          + " and a.state = 'pending' and exists (select 1 from dev where management_channel ="
          + " 'agent')"
          + " and not "
          + RestartDeadline.overdueSql("a", "$6::timestamptz")
          + " order by a.requested_at, a.id for update of a skip locked),"
          + " delivered as (update device_action a set state = 'active',"
          + " last_updated_at = $5::timestamptz from due where a.id = due.id"
          + " returning a.id, a.action, a.requested_at, a.message, a.phone_number)"
          + " select e.enrolled, d.id, d.action, d.requested_at, d.message, d.phone_number,"
          + " s.kind, s.ciphertext, s.issued_at"
          + " from (select count(*)::int as enrolled from dev) e"
          + " left join (delivered d left join action_secret s on s.action_id = d.id) on true"
          + " order by d.requested_at, d.id";

  /**
   * Which of the devices $1 have a command that a check-in would hand over now (pending, not a
   * restart requested before $2, which has timed out): the catch-up of waiting check-ins. Read
   * through device_action_queue, one probe per device.
   */
  static final String WITH_COMMANDS =
      """
      select distinct a.device_id
      from device_action a
      where a.device_id = any ($1::uuid[]) and a.state = 'pending'
        and not %s
      """
          .formatted(RestartDeadline.overdueSql("a", "$2::timestamptz"));

  /** A command handed over, with its secret as stored (null when it has none). */
  record Delivered(DeviceAction action, ActionSecret secret) {}

  private final Pool database;

  public CheckinRepository(Pool database) {
    this.database = database;
  }

  /**
   * The commands handed over, oldest first; null when the device is not enrolled. A restart
   * requested before {@code overdueBefore} has timed out and is not handed over.
   */
  Uni<List<Delivered>> checkIn(
      UUID deviceId, CheckinRequest facts, Instant now, Instant overdueBefore) {
    Tuple args =
        Tuple.tuple()
            .addUUID(deviceId)
            .addString(facts == null ? null : facts.osVersion())
            .addBoolean(facts == null ? null : facts.passcodeSet())
            .addBoolean(facts == null ? null : facts.supervised())
            .addOffsetDateTime(utc(now))
            .addOffsetDateTime(utc(overdueBefore));
    return database.preparedQuery(CHECK_IN).execute(args).map(rows -> delivered(rows, deviceId));
  }

  /** The devices among {@code deviceIds} that have a command to take ({@link #WITH_COMMANDS}). */
  Uni<List<UUID>> withCommands(List<UUID> deviceIds, Instant overdueBefore) {
    Tuple args =
        Tuple.tuple()
            .addArrayOfUUID(deviceIds.toArray(UUID[]::new))
            .addOffsetDateTime(utc(overdueBefore));
    return database
        .preparedQuery(WITH_COMMANDS)
        .execute(args)
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false).map(r -> r.getUUID(0)).toList());
  }

  private static List<Delivered> delivered(RowSet<Row> rows, UUID deviceId) {
    List<Delivered> delivered = new ArrayList<>();
    for (Row row : rows) {
      if (row.getInteger("enrolled") == 0) {
        return null;
      }
      if (row.getUUID("id") != null) {
        delivered.add(new Delivered(action(row, deviceId), secret(row)));
      }
    }
    return delivered;
  }

  /** The command as handed over: the statement made it active; it selects the device once. */
  private static DeviceAction action(Row row, UUID deviceId) {
    DeviceAction a = DeviceAction.from(Columns.of(row));
    a.deviceId = deviceId;
    a.state = ActionState.active;
    return a;
  }

  private static ActionSecret secret(Row row) {
    String kind = row.getString("kind");
    if (kind == null) {
      return null;
    }
    ActionSecret s = new ActionSecret();
    s.actionId = row.getUUID("id");
    s.kind = SecretKind.valueOf(kind);
    var ciphertext = row.getBuffer("ciphertext");
    s.ciphertext = ciphertext == null ? null : ciphertext.getBytes();
    s.issuedAt = row.getOffsetDateTime("issued_at").toInstant();
    return s;
  }
}
