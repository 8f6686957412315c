package dev.deviceactions.apple;

import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.ActionState;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.device.Platform;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;

/**
 * The device behind an MDM message, and what its reaching the server means. Every message after
 * Authenticate names a UDID that must be bound to the very certificate that signed it.
 */
@ApplicationScoped
public class MdmDevices {
  private final MdmDeviceRepository devices;
  private final MdmEnrollmentRepository enrollments;
  private final ActionRepository actions;
  private final DeviceRepository inventory;

  public MdmDevices(
      MdmDeviceRepository devices,
      MdmEnrollmentRepository enrollments,
      ActionRepository actions,
      DeviceRepository inventory) {
    this.devices = devices;
    this.enrollments = enrollments;
    this.actions = actions;
    this.inventory = inventory;
  }

  /** A device as the message found it, with its protocol state locked for the message. */
  record Bound(Device device, MdmEnrollment enrollment) {}

  Uni<Bound> bound(DeviceIdentity.Signer signer, String udid) {
    return devices
        .findByUdid(udid)
        .chain(
            device -> {
              if (device == null || !device.id.equals(signer.deviceId())) {
                throw DeviceIdentity.refused("This UDID is not bound to the signing certificate.");
              }
              return enrollments.lock(device.id).map(e -> new Bound(device, e));
            })
        .invoke(bound -> requireCertificate(bound, signer));
  }

  /**
   * A connect's device, as {@link #bound} finds it, marked as seen and checked in at {@code now}
   * (the device row as that update left it), in two statements: the protocol state is locked first,
   * as every message of a device does, then the row is updated only if the UDID is the signing
   * certificate's. Refusals as {@link #bound}'s, and the transaction rolls the update back.
   */
  Uni<Bound> connected(DeviceIdentity.Signer signer, String udid, Instant now) {
    return enrollments
        .lock(signer.deviceId())
        .chain(
            enrollment ->
                devices
                    .connected(signer.deviceId(), udid, now)
                    .map(
                        device -> {
                          if (device == null) {
                            throw DeviceIdentity.refused(
                                "This UDID is not bound to the signing certificate.");
                          }
                          Bound bound = new Bound(device, enrollment);
                          requireCertificate(bound, signer);
                          return bound;
                        }));
  }

  private static void requireCertificate(Bound bound, DeviceIdentity.Signer signer) {
    if (bound.enrollment() == null
        || !Arrays.equals(bound.enrollment().certHash, signer.certHash())) {
      throw DeviceIdentity.refused("This UDID is bound to another certificate.");
    }
  }

  /**
   * A locked Mac cannot reach the server: one that does so after it acknowledged DeviceLock was
   * unlocked with the recovery PIN, which counts as used (the agent's unlockedWithRecoveryPin), and
   * the guard lifts.
   */
  Uni<Void> reachedAgain(Device device) {
    if (device.platform != Platform.macOS || device.outstandingPinActionId == null) {
      return Uni.createFrom().voidItem();
    }
    return actions
        .findById(device.outstandingPinActionId)
        .chain(
            lock ->
                lock != null && lock.state == ActionState.done
                    ? inventory.releaseRecoveryPin(device.id, lock.id).replaceWithVoid()
                    : Uni.createFrom().voidItem());
  }
}
