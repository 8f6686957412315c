package dev.deviceactions.graph;

import dev.deviceactions.action.ActionView;
import dev.deviceactions.device.DeviceLabel;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/** One row of the Device actions report as Graph beta's {@code remoteActionAudit}. */
@RegisterForReflection
public record RemoteActionAudit(
    UUID id,
    String deviceDisplayName,
    String userName,
    String initiatedByUserPrincipalName,
    String action,
    Instant requestDateTime,
    String deviceOwnerUserPrincipalName,
    String deviceIMEI,
    String actionState,
    UUID managedDeviceId) {

  /** Filterable with eq. */
  static final String MANAGED_DEVICE_ID = "managedDeviceId";

  static final String ACTION = "action";
  static final String ACTION_STATE = "actionState";

  /** No IMEI is collected: {@code deviceIMEI} is always null. */
  static RemoteActionAudit of(ActionView a, DeviceLabel device) {
    String name = device == null ? null : device.name();
    String owner = device == null ? null : device.owner();
    return new RemoteActionAudit(
        a.id(),
        name,
        owner,
        a.initiatedBy(),
        a.action().name(),
        a.requestedAt(),
        owner,
        null,
        a.state().name(),
        a.deviceId());
  }
}
