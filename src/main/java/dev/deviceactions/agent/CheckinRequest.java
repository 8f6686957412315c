package dev.deviceactions.agent;

import dev.deviceactions.device.OsVersion;
import jakarta.validation.constraints.Pattern;

/** Inventory facts a device reports at check-in; absent ones stay as they were. */
public record CheckinRequest(
    @Pattern(regexp = OsVersion.PATTERN, message = "must be dotted numbers such as 17.4")
        String osVersion,
    Boolean passcodeSet,
    Boolean supervised) {}
