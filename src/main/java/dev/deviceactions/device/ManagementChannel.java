package dev.deviceactions.device;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How commands reach a device: our agent API, or Apple's MDM protocol. */
@RegisterForReflection
public enum ManagementChannel {
  agent,
  appleMdm
}
