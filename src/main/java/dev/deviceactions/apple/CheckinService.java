package dev.deviceactions.apple;

import com.dd.plist.NSDictionary;
import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.ActionState;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.secret.SecretCipher;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Apple's check-in protocol: Authenticate binds the UDID to the record whose certificate signed it,
 * TokenUpdate completes the enrollment (push token, PushMagic, UnlockToken) and queues the
 * inventory, CheckOut ends it. Each message is one transaction; a refusal changes nothing.
 */
@ApplicationScoped
public class CheckinService {
  static final String AUTHENTICATED = "appleMdmAuthenticated";
  static final String ENROLLED = "appleMdmEnrolled";
  static final String CHECKED_OUT = "appleMdmCheckedOut";

  private final MdmDevices bindings;
  private final MdmDeviceRepository devices;
  private final DeviceRepository inventory;
  private final MdmEnrollmentRepository enrollments;
  private final MdmCommandRepository commands;
  private final ActionRepository actions;
  private final SecretCipher cipher;
  private final AuditLog audit;

  public CheckinService(
      MdmDevices bindings,
      MdmDeviceRepository devices,
      DeviceRepository inventory,
      MdmEnrollmentRepository enrollments,
      MdmCommandRepository commands,
      ActionRepository actions,
      SecretCipher cipher,
      AuditLog audit) {
    this.bindings = bindings;
    this.devices = devices;
    this.inventory = inventory;
    this.enrollments = enrollments;
    this.commands = commands;
    this.actions = actions;
    this.cipher = cipher;
    this.audit = audit;
  }

  @WithTransaction
  public Uni<MdmAnswer> checkin(DeviceIdentity.Signer signer, MdmMessage message) {
    String type = message.required("MessageType");
    String udid = message.required("UDID");
    Instant now = Times.now();
    if ("Authenticate".equals(type)) {
      return authenticate(signer, udid, message, now);
    }
    return bindings
        .bound(signer, udid)
        .call(bound -> bindings.reachedAgain(bound.device()))
        .chain(
            bound ->
                switch (type) {
                  case "TokenUpdate" -> tokenUpdate(bound, message, now);
                  case "CheckOut" -> checkOut(bound, now);
                  // Users are not managed here: Apple's answer for that is 410.
                  case "UserAuthenticate" -> Uni.createFrom().item(MdmAnswer.GONE);
                  // No bootstrap token is escrowed here: success with none (Apple's rule).
                  case "GetBootstrapToken" -> Uni.createFrom().item(emptyDictionary());
                  default ->
                      throw ProblemException.invalid(
                          "MessageType", type + " is not supported by this server");
                });
  }

  private Uni<MdmAnswer> authenticate(
      DeviceIdentity.Signer signer, String udid, MdmMessage m, Instant now) {
    UUID id = signer.deviceId();
    MdmDeviceRepository.Facts facts =
        new MdmDeviceRepository.Facts(
            Text.bounded(m.string("DeviceName"), 200),
            Text.bounded(m.string("SerialNumber"), 100),
            Text.osVersion(m.string("OSVersion")),
            null,
            null);
    return inventory
        .findEnrolled(id)
        .invoke(
            device -> {
              if (device == null) {
                throw DeviceIdentity.refused("The certificate's device record was removed.");
              }
            })
        .call(bindings::reachedAgain)
        .call(device -> devices.otherHolder(udid, id).invoke(other -> refuseIfEnrolled(other)))
        .call(device -> devices.releaseUdid(udid, id))
        .call(device -> devices.authenticated(id, udid, facts, now))
        .call(device -> bindEnrollment(id, signer, m))
        .call(device -> audit.record(actor(udid), AUTHENTICATED, id, null, AuditLog.OK, null))
        .replaceWith(MdmAnswer.EMPTY);
  }

  /** A UDID moves to a new record only from one that no longer manages it. */
  private static void refuseIfEnrolled(Device other) {
    if (other != null && other.deletedAt == null && other.appleEnrolled) {
      throw DeviceIdentity.refused("This UDID is enrolled under another device record.");
    }
  }

  private Uni<MdmEnrollment> bindEnrollment(UUID id, DeviceIdentity.Signer signer, MdmMessage m) {
    return enrollments
        .lock(id)
        .chain(
            found -> {
              MdmEnrollment e = found != null ? found : new MdmEnrollment();
              e.deviceId = id;
              e.certHash = signer.certHash();
              e.productName = Text.bounded(m.string("ProductName"), 100);
              e.model = Text.bounded(m.string("Model"), 100);
              e.checkedOutAt = null;
              return found != null ? Uni.createFrom().item(e) : enrollments.persist(e);
            });
  }

  private Uni<MdmAnswer> tokenUpdate(MdmDevices.Bound bound, MdmMessage m, Instant now) {
    if (m.string("UserID") != null) {
      // The user channel of a Mac: users are not managed here, and nothing is stored for them.
      return devices.seen(bound.device().id, now).replaceWith(MdmAnswer.EMPTY);
    }
    byte[] token = m.data("Token");
    String magic = m.string("PushMagic");
    if (token == null || magic == null || magic.isBlank()) {
      throw ProblemException.invalid("Token", "a TokenUpdate needs Token and PushMagic");
    }
    MdmEnrollment e = bound.enrollment();
    e.topic = Text.bounded(m.string("Topic"), 255);
    e.pushToken = token;
    e.pushMagic = Text.bounded(magic, 255);
    e.pushInvalidAt = null;
    e.checkedOutAt = null;
    byte[] unlockToken = m.data("UnlockToken");
    if (unlockToken != null) {
      e.unlockToken = cipher.encrypt(Base64.getEncoder().encodeToString(unlockToken));
    }
    Device device = bound.device();
    boolean first = !device.appleEnrolled;
    return devices
        .enrolled(device.id, unlockToken != null, now)
        .call(() -> first ? queueInventory(device.id, now) : Uni.createFrom().voidItem())
        .call(
            () ->
                first
                    ? audit.record(actor(device.appleUdid), ENROLLED, device.id, null, "ok", null)
                    : Uni.createFrom().voidItem())
        .replaceWith(new MdmAnswer(200, null, first));
  }

  /** After the first TokenUpdate: the facts the support matrix reads, from the device itself. */
  private Uni<Void> queueInventory(UUID deviceId, Instant now) {
    return commands
        .persist(
            MdmCommand.queued(deviceId, MdmCommands.DEVICE_INFORMATION, now),
            MdmCommand.queued(deviceId, MdmCommands.SECURITY_INFO, now.plusNanos(1000)))
        .replaceWithVoid();
  }

  /**
   * The device left MDM: it can no longer be reached over it, its pending actions are canceled (a
   * canceled lock frees its PIN guard), and what it was sent but never answered is dropped.
   */
  private Uni<MdmAnswer> checkOut(MdmDevices.Bound bound, Instant now) {
    Device device = bound.device();
    MdmEnrollment e = bound.enrollment();
    e.checkedOutAt = now;
    e.pushToken = null;
    e.pushMagic = null;
    e.unlockToken = null;
    UUID pinLock = device.outstandingPinActionId;
    return devices
        .checkedOut(device.id, now)
        .call(() -> actions.cancelPending(device.id, now))
        .call(() -> pinLock == null ? Uni.createFrom().voidItem() : freeIfCanceled(device, pinLock))
        .call(() -> commands.dropUnanswered(device.id))
        .call(() -> audit.record(actor(device.appleUdid), CHECKED_OUT, device.id, null, "ok", null))
        .replaceWith(MdmAnswer.EMPTY);
  }

  private Uni<Void> freeIfCanceled(Device device, UUID pinLock) {
    return actions
        .findById(pinLock)
        .chain(
            lock ->
                lock != null && lock.state == ActionState.canceled
                    ? inventory.releaseRecoveryPin(device.id, pinLock).replaceWithVoid()
                    : Uni.createFrom().voidItem());
  }

  private static MdmAnswer emptyDictionary() {
    return MdmAnswer.of(new NSDictionary().toXMLPropertyList().getBytes(StandardCharsets.UTF_8));
  }

  /** Who a device's own messages are audited as. */
  static String actor(String udid) {
    return "apple-mdm:" + udid;
  }
}
