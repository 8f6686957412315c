package dev.deviceactions.device;

import dev.deviceactions.action.ActionRepository;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.Cursor;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Page;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.secret.ActionSecret;
import dev.deviceactions.secret.SecretKind;
import dev.deviceactions.secret.SecretService;
import dev.deviceactions.secret.SecretView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Enrollment, the inventory and the device overview. */
@ApplicationScoped
public class DeviceService {
  /**
   * The order of "latest" in every query (requested_at, then id, as PostgreSQL orders uuids: their
   * lowercase text).
   */
  private static final Comparator<DeviceAction> NEWEST =
      Comparator.<DeviceAction, Instant>comparing(a -> a.requestedAt)
          .thenComparing(a -> a.id.toString());

  private final DeviceRepository devices;
  private final ActionRepository actions;
  private final SecretService secrets;
  private final AuditLog audit;
  private final DeviceTokens tokens;
  private final RestartDeadline deadline;
  private final boolean pushCertificate;

  public DeviceService(
      DeviceRepository devices,
      ActionRepository actions,
      SecretService secrets,
      AuditLog audit,
      DeviceTokens tokens,
      RestartDeadline deadline,
      DeviceActionsConfig config) {
    this.devices = devices;
    this.actions = actions;
    this.secrets = secrets;
    this.audit = audit;
    this.tokens = tokens;
    this.deadline = deadline;
    this.pushCertificate = config.apple().pushCert().isPresent();
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

  public Uni<Page<DeviceView>> list(DeviceRepository.Filter filter, Cursor cursor, int limit) {
    return page(filter, cursor, limit, devices -> Panache.withSession(() -> views(devices)));
  }

  /**
   * Devices with each action's latest run, for surfaces that show them all (the Graph adapter). For
   * a caller who may read secrets ({@code revealTo} not null) each also carries its latest action's
   * live PIN or passcode, by the same rule as the overview, and each one shown is audited.
   */
  public Uni<Page<DeviceDetail>> details(
      DeviceRepository.Filter filter, Cursor cursor, int limit, String revealTo) {
    return page(
        filter,
        cursor,
        limit,
        devices -> Panache.withTransaction(() -> details(devices, revealTo)));
  }

  /**
   * A page of the inventory, shown by {@code show}. The page is read on the pool before the session
   * or transaction of {@code show} opens, so no request holds a connection while it waits for one.
   */
  private <T> Uni<Page<T>> page(
      DeviceRepository.Filter filter,
      Cursor cursor,
      int limit,
      Function<List<Device>, Uni<List<T>>> show) {
    return devices
        .list(filter, cursor, limit + 1)
        .chain(
            rows -> {
              Page<Device> page = Page.of(rows, limit, d -> new Cursor(d.enrolledAt, d.id), d -> d);
              return show.apply(page.items()).map(shown -> new Page<>(shown, page.nextCursor()));
            });
  }

  /** One device as {@link #details(DeviceRepository.Filter, Cursor, int, String)} shows it. */
  @WithTransaction
  public Uni<DeviceDetail> detail(UUID id, String revealTo) {
    return devices.getEnrolled(id).chain(d -> details(List.of(d), revealTo)).map(List::getFirst);
  }

  /** Names and owners of these devices, removed ones included (their actions outlive them). */
  @WithSession
  public Uni<Map<UUID, DeviceLabel>> labels(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return devices
        .findByIds(ids)
        .map(
            found ->
                found.stream()
                    .collect(
                        Collectors.toMap(d -> d.id, d -> new DeviceLabel(d.id, d.name, d.owner))));
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

  private Uni<List<DeviceDetail>> details(List<Device> page, String revealTo) {
    return actions
        .latestOfEachAction(page.stream().map(d -> d.id).toList())
        .chain(
            runs -> {
              Map<UUID, List<DeviceAction>> byDevice =
                  runs.stream().collect(Collectors.groupingBy(a -> a.deviceId));
              Map<UUID, DeviceAction> latest = new HashMap<>();
              byDevice.forEach((id, its) -> latest.put(id, its.stream().max(NEWEST).orElseThrow()));
              return secrets
                  .liveFor(latest.values().stream().map(a -> a.id).toList())
                  .chain(
                      live ->
                          secrets
                              .reveal(live.values(), revealTo)
                              .map(
                                  shown ->
                                      page.stream()
                                          .map(d -> detail(d, byDevice, latest, live, shown))
                                          .toList()));
            });
  }

  private DeviceDetail detail(
      Device d,
      Map<UUID, List<DeviceAction>> runs,
      Map<UUID, DeviceAction> latest,
      Map<UUID, ActionSecret> live,
      Map<UUID, SecretView> shown) {
    DeviceAction newest = latest.get(d.id);
    return new DeviceDetail(
        view(d, newest, live, null),
        runs.getOrDefault(d.id, List.of()).stream().map(deadline::view).toList(),
        newest == null ? null : shown.get(newest.id));
  }

  private DeviceView view(
      Device d, DeviceAction latest, Map<UUID, ActionSecret> live, String token) {
    ActionSecret secret = latest == null ? null : live.get(latest.id);
    SecretKind kind = secret == null ? null : secret.kind;
    return DeviceView.of(
        d,
        latest == null ? null : deadline.view(latest),
        kind == SecretKind.recoveryPin,
        kind == SecretKind.temporaryPasscode,
        pushCertificate,
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
