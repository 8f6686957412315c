package dev.deviceactions.approval;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The 202 answer to a covered request: {@code {"approvalRequest": {...}}}. */
@RegisterForReflection
public record ApprovalAccepted(ApprovalView approvalRequest) {}
