package dev.deviceactions.device;

import dev.deviceactions.action.ActionView;
import dev.deviceactions.secret.SecretView;
import java.util.List;

/**
 * A device with the latest run of each action it has had and, for a caller who may read secrets,
 * the live PIN or passcode of its latest action (null otherwise, or once expired).
 */
public record DeviceDetail(
    DeviceView device, List<ActionView> latestOfEachAction, SecretView secret) {}
