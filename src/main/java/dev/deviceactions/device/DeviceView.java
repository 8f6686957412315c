package dev.deviceactions.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.action.Refusal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The device overview; {@code unsupportedActions} gives the support matrix's reason for each action
 * not offered, and {@code deviceToken} appears once, in the answer to enrollment.
 */
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
    @JsonInclude(JsonInclude.Include.NON_NULL) String deviceToken) {}
