package dev.deviceactions.apple;

import dev.deviceactions.device.Device;
import dev.deviceactions.device.ManagementChannel;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the MDM protocol changes on a device row: its Apple enrollment state and the facts the
 * device reports. Each change is an update statement, never a change to a loaded Device, so that no
 * flush writes a stale row over another statement's change (the PIN guard's, for one).
 */
@ApplicationScoped
public class MdmDeviceRepository implements PanacheRepositoryBase<Device, UUID> {
  /**
   * A connect's device, seen and checked in; only if the UDID is bound to it ({@link #connected}).
   *
   * <p>{@code :id} is bound as a list of one. Hibernate ORM 7.2 never finds the plan of a native
   * query with a result in its query plan cache (the key holds the result mapping built for that
   * one query), so each run added a plan under the same hash, and each later run scanned them, up
   * to the cache's bound; it caches no plan for a query with a list-valued parameter. A connect
   * runs this and {@link MdmCommandRepository}'s hand-over; AppleQueryPlanTest keeps both off the
   * cache.
   */
  static final String CONNECTED =
      """
      update device set apple_last_seen_at = :now, last_check_in_at = :now
      where id in (:id) and apple_udid = :udid and deleted_at is null
      returning *
      """;

  Uni<Device> findByUdid(String udid) {
    return find("appleUdid = ?1 and deletedAt is null", udid).firstResult();
  }

  /** Another enrolled record that holds this UDID, or null. */
  Uni<Device> otherHolder(String udid, UUID deviceId) {
    return find("appleUdid = ?1 and id <> ?2", udid, deviceId).firstResult();
  }

  Uni<Integer> releaseUdid(String udid, UUID except) {
    return update(
        "appleUdid = null, appleEnrolled = false, applePushReady = false"
            + " where appleUdid = ?1 and id <> ?2",
        udid,
        except);
  }

  /**
   * Authenticate: the UDID is bound and the device's own facts replace what was entered; it is not
   * enrolled until its TokenUpdate.
   */
  Uni<Integer> authenticated(UUID id, String udid, Facts facts, Instant now) {
    return update(
        "appleUdid = :udid, appleEnrolled = false, applePushReady = false,"
            + " appleLastSeenAt = :now, name = coalesce(:name, name),"
            + " serialNumber = coalesce(:serial, serialNumber),"
            + " osVersion = coalesce(:osVersion, osVersion) where id = :id",
        Parameters.with("udid", udid)
            .and("now", now)
            .and("name", facts.name())
            .and("serial", facts.serialNumber())
            .and("osVersion", facts.osVersion())
            .and("id", id));
  }

  /** TokenUpdate: enrolled, commands go over MDM from now on, and it can be pushed to. */
  Uni<Integer> enrolled(UUID id, boolean unlockToken, Instant now) {
    return update(
        "managementChannel = :channel, appleEnrolledAt = case when appleEnrolled = true"
            + " then appleEnrolledAt else :now end, appleEnrolled = true, applePushReady = true,"
            + " appleUnlockTokenSet = (appleUnlockTokenSet = true or :unlock = true),"
            + " appleLastSeenAt = :now where id = :id",
        Parameters.with("channel", ManagementChannel.appleMdm)
            .and("now", now)
            .and("unlock", unlockToken)
            .and("id", id));
  }

  Uni<Integer> checkedOut(UUID id, Instant now) {
    return update(
        "appleEnrolled = false, applePushReady = false, appleLastSeenAt = ?2 where id = ?1",
        id,
        now);
  }

  /** The device reached the server (a connect: {@link #connected}). */
  Uni<Integer> seen(UUID id, Instant now) {
    return update("appleLastSeenAt = ?2 where id = ?1", id, now);
  }

  /**
   * A connect: the device {@code id} is seen and checked in at {@code now}, if {@code udid} is the
   * one bound to it and it is not removed; the row as updated, or null.
   */
  Uni<Device> connected(UUID id, String udid, Instant now) {
    return getSession()
        .chain(
            s ->
                s.createNativeQuery(CONNECTED, Device.class)
                    .setParameter("id", List.of(id))
                    .setParameter("udid", udid)
                    .setParameter("now", now)
                    .getSingleResultOrNull());
  }

  /** Inventory answers; absent facts stay as they were. */
  Uni<Integer> facts(UUID id, Facts facts) {
    return update(
        "osVersion = coalesce(:osVersion, osVersion), supervised = coalesce(:supervised,"
            + " supervised), passcodeSet = coalesce(:passcode, passcodeSet) where id = :id",
        Parameters.with("osVersion", facts.osVersion())
            .and("supervised", facts.supervised())
            .and("passcode", facts.passcodeSet())
            .and("id", id));
  }

  /** Facts a device reports over MDM; null: not reported. */
  record Facts(
      String name,
      String serialNumber,
      String osVersion,
      Boolean supervised,
      Boolean passcodeSet) {}
}
