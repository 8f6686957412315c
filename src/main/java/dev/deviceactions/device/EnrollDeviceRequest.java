package dev.deviceactions.device;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/v1/devices}. */
public record EnrollDeviceRequest(
    @NotBlank @Size(max = 200) String name,
    @NotNull Platform platform,
    @NotNull @Pattern(regexp = OsVersion.PATTERN, message = "must be dotted numbers such as 17.4")
        String osVersion,
    ManagementMode managementMode,
    Boolean supervised,
    Boolean passcodeSet,
    Boolean azureAdJoined,
    @Size(max = 100) String serialNumber,
    @Size(max = 200) String owner) {}
