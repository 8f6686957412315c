package dev.deviceactions.approval;

import jakarta.validation.constraints.Size;

/** The body of approve and reject: why (optional). */
public record DecisionRequest(@Size(max = Justification.MAX) String justification) {}
