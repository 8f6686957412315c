package dev.deviceactions.device;

import dev.deviceactions.common.Columns;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Where;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The device inventory. Removed devices are kept (actions and audit point at them) but never found.
 */
@ApplicationScoped
public class DeviceRepository implements PanacheRepositoryBase<Device, UUID> {
  private final Pool database;

  public DeviceRepository(Pool database) {
    this.database = database;
  }

  /**
   * Filters of the inventory; null means "any". {@code q} searches name, serial number and owner;
   * the others match exactly, {@code namePrefix} the start of the name, ignoring case.
   */
  public record Filter(
      Platform platform,
      String q,
      UUID id,
      String name,
      String namePrefix,
      String serialNumber,
      String owner) {

    /** The admin API's search: a platform and free text. */
    public static Filter search(Platform platform, String q) {
      return new Filter(platform, q, null, null, null, null, null);
    }
  }

  public Uni<Device> findEnrolled(UUID id) {
    return findById(id).map(d -> d == null || d.deletedAt != null ? null : d);
  }

  /** The enrolled device, or a deviceNotFound problem. */
  public Uni<Device> getEnrolled(UUID id) {
    return findEnrolled(id)
        .onItem()
        .ifNull()
        .failWith(() -> new ProblemException(ProblemCode.deviceNotFound, "No device " + id + "."));
  }

  /** These devices, removed ones included (their actions outlive them), loaded by id. */
  public Uni<List<Device>> findByIds(Collection<UUID> ids) {
    return getSession()
        .chain(s -> s.find(Device.class, ids.toArray()))
        .map(found -> found.stream().filter(Objects::nonNull).toList());
  }

  /**
   * The enrolled device whose agent token hashes to this, on the pool (not in a session): every
   * agent request asks, and a process's first one then parses no HQL.
   */
  public Uni<Device> findByTokenHash(byte[] tokenHash) {
    return database
        .preparedQuery("select * from device where token_hash = $1 and deleted_at is null")
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? null : Device.from(Columns.of(rows.iterator().next())));
  }

  public Uni<List<Device>> list(Filter f, Cursor cursor, int limit) {
    String q = f.q();
    String prefix = f.namePrefix();
    Where where =
        new Where()
            .and("deleted_at is null")
            .and(
                "platform = :platform",
                "platform",
                f.platform() == null ? null : f.platform().name())
            .and(
                "(lower(name) like :q or lower(serial_number) like :q or lower(owner) like :q)",
                "q",
                q == null || q.isBlank() ? null : "%" + likeEscaped(q.toLowerCase()) + "%")
            .and("id = :id", "id", f.id())
            .and("name = :name", "name", f.name())
            .and(
                "lower(name) like :prefix",
                "prefix",
                prefix == null ? null : likeEscaped(prefix.toLowerCase()) + "%")
            .and("serial_number = :serialNumber", "serialNumber", f.serialNumber())
            .and("owner = :owner", "owner", f.owner())
            .after("enrolled_at", cursor);
    return where.list(
        database, "device", "enrolled_at", limit, row -> Device.from(Columns.of(row)));
  }

  /**
   * Claims the macOS recovery-PIN guard for a new lock: one conditional UPDATE, so of two
   * concurrent locks only one finds the guard free. A PIN issued before {@code expiredBefore} has
   * expired and no longer holds it.
   */
  public Uni<Boolean> claimRecoveryPin(
      UUID deviceId, UUID actionId, Instant issuedAt, Instant expiredBefore) {
    return update(
            "outstandingPinActionId = :actionId, outstandingPinIssuedAt = :issuedAt"
                + " where id = :id and (outstandingPinActionId is null"
                + " or outstandingPinIssuedAt < :expiredBefore)",
            Parameters.with("actionId", actionId)
                .and("issuedAt", issuedAt)
                .and("id", deviceId)
                .and("expiredBefore", expiredBefore))
        .map(count -> count == 1);
  }

  /** Lifts the guard: the PIN was used, or the lock that set it failed or was canceled. */
  public Uni<Integer> releaseRecoveryPin(UUID deviceId, UUID actionId) {
    return update(
        "outstandingPinActionId = null, outstandingPinIssuedAt = null"
            + " where id = ?1 and outstandingPinActionId = ?2",
        deviceId,
        actionId);
  }

  public Uni<Integer> releaseRecoveryPin(UUID deviceId) {
    return update(
        "outstandingPinActionId = null, outstandingPinIssuedAt = null where id = ?1", deviceId);
  }

  private static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
