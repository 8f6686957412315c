package dev.deviceactions.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How many failed deliveries a replay put back in the queue. */
@RegisterForReflection
public record ReplayView(int replayed) {}
