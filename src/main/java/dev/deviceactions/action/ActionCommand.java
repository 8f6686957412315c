package dev.deviceactions.action;

import java.util.UUID;

/** A request for one action on one device, with who asked and the retry key they sent. */
public record ActionCommand(
    UUID deviceId,
    ActionType action,
    String message,
    String phoneNumber,
    String idempotencyKey,
    String actor) {}
