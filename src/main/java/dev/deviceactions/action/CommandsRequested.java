package dev.deviceactions.action;

import java.util.Collection;
import java.util.UUID;

/**
 * Fired in process, right after the commit, when newly accepted actions (single or bulk) wait for
 * these devices. Observers (the Apple push, the wake-ups) must not block: they run on the request's
 * thread.
 */
public record CommandsRequested(Collection<UUID> deviceIds) {}
