package dev.deviceactions.action;

import jakarta.validation.constraints.Size;

/**
 * Optional body of remoteLock: shown on the lock screen where the platform can; and the
 * justification that a request an approval policy covers must carry.
 */
public record RemoteLockRequest(
    @Size(max = 500) String message,
    @Size(max = 50) String phoneNumber,
    @Size(max = 500) String justification) {}
