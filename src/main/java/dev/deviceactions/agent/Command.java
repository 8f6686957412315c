package dev.deviceactions.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deviceactions.action.ActionType;
import java.time.Instant;
import java.util.UUID;

/** A command delivered at check-in, with the PIN or passcode it needs, if any. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Command(
    UUID actionId,
    ActionType action,
    Instant issuedAt,
    String pin,
    String passcode,
    String message,
    String phoneNumber) {}
