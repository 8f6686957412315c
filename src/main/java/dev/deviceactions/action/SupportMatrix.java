package dev.deviceactions.action;

import static dev.deviceactions.action.ActionType.rebootNow;
import static dev.deviceactions.action.ActionType.remoteLock;
import static dev.deviceactions.action.ActionType.removePasscode;
import static dev.deviceactions.action.ActionType.resetPasscode;
import static dev.deviceactions.action.ActionType.resetPin;
import static dev.deviceactions.device.ManagementMode.dedicated;
import static dev.deviceactions.device.ManagementMode.deviceAdministrator;
import static dev.deviceactions.device.ManagementMode.fullyManaged;
import static dev.deviceactions.device.ManagementMode.workProfileCorporate;
import static dev.deviceactions.device.Platform.android;
import static dev.deviceactions.device.Platform.iOS;
import static dev.deviceactions.device.Platform.iPadOS;
import static dev.deviceactions.device.Platform.macOS;
import static dev.deviceactions.device.Platform.windows;
import static dev.deviceactions.device.Platform.windowsPhone;

import dev.deviceactions.device.Device;
import dev.deviceactions.device.ManagementMode;
import dev.deviceactions.device.OsVersion;
import dev.deviceactions.device.Platform;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which device supports which remote action: support-matrix.md (from the Intune seeds) as data. A
 * platform without a row for an action is refused with reason {@code platform}; a change of
 * platform support is a change of one row here.
 */
public final class SupportMatrix {

  /** Which devices of one platform an action supports. Null bounds do not apply. */
  record Row(
      Platform platform,
      List<ManagementMode> modes,
      OsVersion from,
      OsVersion before,
      boolean needsSupervision,
      OsVersion azureAdJoinedFrom,
      boolean needsUnlockTokenOverMdm) {

    boolean covers(ManagementMode mode) {
      return modes.isEmpty() || modes.contains(mode);
    }
  }

  /** The rows of one action, and whether it needs a passcode on the device. */
  record Rules(boolean needsPasscode, List<Row> rows) {}

  private static final Map<ActionType, Rules> TABLE = new EnumMap<>(ActionType.class);

  static {
    // Seeds 000/002: lock needs a PIN or password; Windows 10 desktop is not supported.
    TABLE.put(
        remoteLock,
        rules(
            true, row(android), row(iOS), row(iPadOS), row(macOS), row(windowsPhone).from("8.1")));
    // Seed 001: Windows Phone before the Creators Update only when not Azure AD joined; Android
    // before 7.0 as device administrator only.
    TABLE.put(
        resetPasscode,
        rules(
            false,
            row(windowsPhone).from("8.1").azureAdJoinedFrom("10.0.15063"),
            row(iOS).unlockTokenOverMdm(),
            row(iPadOS).unlockTokenOverMdm(),
            row(android).modes(deviceAdministrator).before("7.0")));
    // Seed 003: remove passcode on iOS and Android. Over Apple MDM both passcode actions are
    // ClearPasscode, which needs the UnlockToken the device sent in its TokenUpdate.
    TABLE.put(
        removePasscode,
        rules(
            false,
            row(iOS).unlockTokenOverMdm(),
            row(iPadOS).unlockTokenOverMdm(),
            row(android).modes(deviceAdministrator).before("7.0")));
    // Seed 003: PIN reset on Windows 10 Mobile.
    TABLE.put(resetPin, rules(false, row(windowsPhone).from("10.0")));
    // Seed 004: restart.
    TABLE.put(
        rebootNow,
        rules(
            false,
            row(windows).from("6.3"),
            row(android).modes(dedicated).from("7.0"),
            row(android).modes(fullyManaged).from("6.0"),
            row(android).modes(workProfileCorporate).from("8.0"),
            row(iOS).supervised(),
            row(iPadOS).supervised()));
  }

  private SupportMatrix() {}

  /** The reason this device cannot take this action, or empty when it can. */
  public static Optional<Refusal> check(ActionType action, Device device) {
    Rules rules = TABLE.get(action);
    List<Row> platformRows =
        rules.rows().stream().filter(r -> r.platform() == device.platform).toList();
    if (platformRows.isEmpty()) {
      return Optional.of(Refusal.platform);
    }
    Optional<Row> match =
        platformRows.stream().filter(r -> r.covers(device.managementMode)).findFirst();
    if (match.isEmpty()) {
      return Optional.of(Refusal.managementMode);
    }
    return check(match.get(), rules.needsPasscode(), device);
  }

  /** Every action this device supports now, in the order of {@link ActionType}. */
  public static List<ActionType> supportedActions(Device device) {
    return Arrays.stream(ActionType.values()).filter(a -> check(a, device).isEmpty()).toList();
  }

  /**
   * Why each action this device does not support is refused, in the order of {@link ActionType}.
   */
  public static Map<ActionType, Refusal> refusals(Device device) {
    Map<ActionType, Refusal> refusals = new EnumMap<>(ActionType.class);
    for (ActionType action : ActionType.values()) {
      check(action, device).ifPresent(reason -> refusals.put(action, reason));
    }
    return refusals;
  }

  private static Optional<Refusal> check(Row row, boolean needsPasscode, Device device) {
    OsVersion version = device.version();
    if ((row.from() != null && version.isBelow(row.from()))
        || (row.before() != null && !version.isBelow(row.before()))) {
      return Optional.of(Refusal.osVersion);
    }
    if (row.needsSupervision() && !device.supervised) {
      return Optional.of(Refusal.notSupervised);
    }
    if (row.azureAdJoinedFrom() != null
        && device.azureAdJoined
        && version.isBelow(row.azureAdJoinedFrom())) {
      return Optional.of(Refusal.azureAdJoined);
    }
    if (needsPasscode && !device.passcodeSet) {
      return Optional.of(Refusal.noPasscode);
    }
    if (row.needsUnlockTokenOverMdm() && device.overAppleMdm() && !device.appleUnlockTokenSet) {
      return Optional.of(Refusal.noUnlockToken);
    }
    return Optional.empty();
  }

  private static Rules rules(boolean needsPasscode, RowBuilder... rows) {
    return new Rules(needsPasscode, Arrays.stream(rows).map(RowBuilder::build).toList());
  }

  private static RowBuilder row(Platform platform) {
    return new RowBuilder(platform);
  }

  /** Reads like the matrix: {@code row(android).modes(dedicated).from("7.0")}. */
  private static final class RowBuilder {
    private final Platform platform;
    private List<ManagementMode> modes = List.of();
    private OsVersion from;
    private OsVersion before;
    private boolean supervised;
    private OsVersion azureAdJoinedFrom;
    private boolean unlockTokenOverMdm;

    RowBuilder(Platform platform) {
      this.platform = platform;
    }

    RowBuilder modes(ManagementMode... modes) {
      this.modes = List.of(modes);
      return this;
    }

    RowBuilder from(String version) {
      this.from = OsVersion.parse(version);
      return this;
    }

    RowBuilder before(String version) {
      this.before = OsVersion.parse(version);
      return this;
    }

    RowBuilder supervised() {
      this.supervised = true;
      return this;
    }

    RowBuilder azureAdJoinedFrom(String version) {
      this.azureAdJoinedFrom = OsVersion.parse(version);
      return this;
    }

    RowBuilder unlockTokenOverMdm() {
      this.unlockTokenOverMdm = true;
      return this;
    }

    Row build() {
      return new Row(
          platform, modes, from, before, supervised, azureAdJoinedFrom, unlockTokenOverMdm);
    }
  }
}
