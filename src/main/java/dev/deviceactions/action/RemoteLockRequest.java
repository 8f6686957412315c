package dev.deviceactions.action;

import jakarta.validation.constraints.Size;

/** Optional body of remoteLock (and of bulk): shown on the lock screen where the platform can. */
public record RemoteLockRequest(
    @Size(max = 500) String message, @Size(max = 50) String phoneNumber) {}
