package dev.deviceactions.graph;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;

/** The body of Graph's {@code operationApprovalRequests/cancelMyRequest}: the request's id. */
@RegisterForReflection
public record GraphCancel(@NotNull String id) {}
