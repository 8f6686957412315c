package dev.deviceactions.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.action.Refusal;
import dev.deviceactions.action.SupportMatrix;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The device overview; {@code unsupportedActions} gives the support matrix's reason for each action
 * not offered, and {@code deviceToken} appears once, in the answer to enrollment.
 */
@RegisterForReflection
public record DeviceView(
    UUID id,
    String name,
    Platform platform,
    String osVersion,
    ManagementMode managementMode,
    boolean supervised,
    boolean passcodeSet,
    boolean azureAdJoined,
    String serialNumber,
    String owner,
    Instant enrolledAt,
    Instant lastCheckInAt,
    List<ActionType> supportedActions,
    Map<ActionType, Refusal> unsupportedActions,
    ActionView latestAction,
    boolean recoveryPinAvailable,
    boolean temporaryPasscodeAvailable,
    ManagementChannel managementChannel,
    AppleMdmView appleMdm,
    @JsonInclude(JsonInclude.Include.NON_NULL) String deviceToken) {

  /**
   * The view of a device with its latest action; the secret flags say which live secret that action
   * has; {@code pushCertificate}: the service holds an APNs push certificate. The API and the event
   * stream both build it here.
   */
  public static DeviceView of(
      Device d,
      ActionView latest,
      boolean recoveryPinAvailable,
      boolean temporaryPasscodeAvailable,
      boolean pushCertificate,
      String token) {
    return new DeviceView(
        d.id,
        d.name,
        d.platform,
        d.osVersion,
        d.managementMode,
        d.supervised,
        d.passcodeSet,
        d.azureAdJoined,
        d.serialNumber,
        d.owner,
        d.enrolledAt,
        d.lastCheckInAt,
        SupportMatrix.supportedActions(d),
        SupportMatrix.refusals(d),
        latest,
        recoveryPinAvailable,
        temporaryPasscodeAvailable,
        d.managementChannel,
        AppleMdmView.of(d, pushCertificate),
        token);
  }
}
