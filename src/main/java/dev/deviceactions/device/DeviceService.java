package dev.deviceactions.device;

import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretKind;
import dev.deviceactions.secret.SecretService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Enrollment, the inventory and the device overview. */
@ApplicationScoped
public class DeviceService {
  private final DeviceRepository devices;
  private final ActionRepository actions;
  private final SecretService secrets;
  private final AuditLog audit;
  private final DeviceTokens tokens;

  public DeviceService(
      DeviceRepository devices,
      ActionRepository actions,
      SecretService secrets,
      AuditLog audit,
      DeviceTokens tokens) {
    this.devices = devices;
    this.actions = actions;
    this.secrets = secrets;
    this.audit = audit;
    this.tokens = tokens;
  }

  /** Enrolls a device and returns its view with the device token, which is not stored. */
  @WithTransaction
  public Uni<DeviceView> enroll(EnrollDeviceRequest request, String actor) {
    requireConsistentManagementMode(request);
    String token = tokens.generate();
    Device device = newDevice(request, token);
    return devices
        .persist(device)
        .call(d -> audit.record(actor, AuditLog.DEVICE_ENROLLED, d.id, null, AuditLog.OK, null))
        .map(d -> view(d, null, Map.of(), token));
  }

  @WithSession
  public Uni<DeviceView> overview(UUID id) {
    return devices.getEnrolled(id).chain(d -> views(List.of(d))).map(List::getFirst);
  }

  @WithSession
  public Uni<Page<DeviceView>> list(Platform platform, String q, Cursor cursor, int limit) {
    return devices
        .list(platform, q, cursor, limit + 1)
        .chain(
            rows -> {
              Page<Device> page = Page.of(rows, limit, d -> new Cursor(d.enrolledAt, d.id), d -> d);
              return views(page.items()).map(v -> new Page<>(v, page.nextCursor()));
            });
  }

  /** Removes a device; its pending actions are canceled so they are never delivered. */
  @WithTransaction
  public Uni<Void> remove(UUID id, String actor) {
    return devices
        .getEnrolled(id)
        .call(d -> actions.cancelPending(d.id, Times.now()))
        .invoke(d -> d.deletedAt = Times.now())
        .call(d -> audit.record(actor, AuditLog.DEVICE_REMOVED, d.id, null, AuditLog.OK, null))
        .replaceWithVoid();
  }

  /** Views for a page of devices: their latest actions and live secrets in two queries. */
  private Uni<List<DeviceView>> views(List<Device> page) {
    List<UUID> ids = page.stream().map(d -> d.id).toList();
    return actions
        .latestOf(ids)
        .chain(
            latest -> {
              Map<UUID, DeviceAction> byDevice =
                  latest.stream().collect(Collectors.toMap(a -> a.deviceId, Function.identity()));
              return secrets
                  .liveFor(latest.stream().map(a -> a.id).toList())
                  .map(
                      live ->
                          page.stream().map(d -> view(d, byDevice.get(d.id), live, null)).toList());
            });
  }

  private static DeviceView view(
      Device d, DeviceAction latest, Map<UUID, ActionSecret> live, String token) {
    ActionSecret secret = latest == null ? null : live.get(latest.id);
    SecretKind kind = secret == null ? null : secret.kind;
    return DeviceView.of(
        d,
        latest == null ? null : ActionView.of(latest),
        kind == SecretKind.recoveryPin,
        kind == SecretKind.temporaryPasscode,
        token);
  }

  private static void requireConsistentManagementMode(EnrollDeviceRequest r) {
    if (r.platform() == Platform.android && r.managementMode() == null) {
      throw ProblemException.invalid("managementMode", "is required for android");
    }
    if (r.platform() != Platform.android && r.managementMode() != null) {
      throw ProblemException.invalid("managementMode", "applies to android only");
    }
  }

  private static Device newDevice(EnrollDeviceRequest r, String token) {
    Device d = new Device();
    d.id = UUID.randomUUID();
    d.name = r.name();
    d.platform = r.platform();
    d.osVersion = r.osVersion();
    d.managementMode = r.managementMode();
    d.supervised = Objects.requireNonNullElse(r.supervised(), false);
    d.passcodeSet = Objects.requireNonNullElse(r.passcodeSet(), false);
    d.azureAdJoined = Objects.requireNonNullElse(r.azureAdJoined(), false);
    d.serialNumber = r.serialNumber();
    d.owner = r.owner();
    d.tokenHash = DeviceTokens.hash(token);
    d.enrolledAt = Times.now();
    return d;
  }
}
