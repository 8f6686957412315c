package dev.deviceactions.secret;

import java.time.Instant;
import java.util.UUID;

/** A revealed PIN or passcode; only the audited secrets endpoints return it. */
public record SecretView(
    SecretKind kind, String value, UUID actionId, Instant issuedAt, Instant expiresAt) {}
