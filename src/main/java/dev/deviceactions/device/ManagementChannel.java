package dev.deviceactions.device;

/** How commands reach a device: our agent API, or Apple's MDM protocol. */
public enum ManagementChannel {
  agent,
  appleMdm
}
