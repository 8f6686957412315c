package dev.deviceactions.device;

import java.util.UUID;

/** What a report of actions shows of their device: its name and owner. */
public record DeviceLabel(UUID id, String name, String owner) {}
