package dev.deviceactions.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deviceactions.device.DeviceDetail;
import dev.deviceactions.device.DeviceView;
import dev.deviceactions.device.ManagementChannel;
import dev.deviceactions.device.Platform;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A device as Graph's {@code managedDevice}, with the names Intune gives its facts. */
@RegisterForReflection
public record ManagedDevice(
    UUID id,
    String deviceName,
    String operatingSystem,
    String osVersion,
    @JsonProperty("isSupervised") boolean isSupervised,
    String serialNumber,
    String userPrincipalName,
    Instant enrolledDateTime,
    Instant lastSyncDateTime,
    @JsonProperty("azureADRegistered") boolean azureADRegistered,
    String managementAgent,
    List<ActionResult> deviceActionResults) {

  /** Every property, in the order they are written; {@code $select} picks among these. */
  static final List<String> PROPERTIES =
      List.of(
          "id",
          "deviceName",
          "operatingSystem",
          "osVersion",
          "isSupervised",
          "serialNumber",
          "userPrincipalName",
          "enrolledDateTime",
          "lastSyncDateTime",
          "azureADRegistered",
          "managementAgent",
          "deviceActionResults");

  static final String ACTION_RESULTS = "deviceActionResults";

  /** Graph's operatingSystem for each platform. */
  static final Map<Platform, String> OPERATING_SYSTEMS = new EnumMap<>(Platform.class);

  static {
    OPERATING_SYSTEMS.put(Platform.windows, "Windows");
    OPERATING_SYSTEMS.put(Platform.windowsPhone, "Windows Phone");
    OPERATING_SYSTEMS.put(Platform.iOS, "iOS");
    OPERATING_SYSTEMS.put(Platform.iPadOS, "iPadOS");
    OPERATING_SYSTEMS.put(Platform.macOS, "macOS");
    OPERATING_SYSTEMS.put(Platform.android, "Android");
  }

  /**
   * Graph's managementAgent: {@code mdm} for a device managed over Apple's MDM protocol, {@code
   * intuneClient} (Intune's own agent) for one that uses our agent API.
   */
  static String managementAgent(ManagementChannel channel) {
    return channel == ManagementChannel.appleMdm ? "mdm" : "intuneClient";
  }

  static ManagedDevice of(DeviceDetail detail) {
    DeviceView d = detail.device();
    return new ManagedDevice(
        d.id(),
        d.name(),
        OPERATING_SYSTEMS.get(d.platform()),
        d.osVersion(),
        d.supervised(),
        d.serialNumber(),
        d.owner(),
        d.enrolledAt(),
        d.lastCheckInAt(),
        d.azureAdJoined(),
        managementAgent(d.managementChannel()),
        detail.latestOfEachAction().stream()
            .map(run -> ActionResult.of(run, detail.secret()))
            .toList());
  }

  /** The platform Graph's operatingSystem name stands for, or null for none. */
  static Platform platform(String operatingSystem) {
    return OPERATING_SYSTEMS.entrySet().stream()
        .filter(e -> e.getValue().equals(operatingSystem))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }
}
