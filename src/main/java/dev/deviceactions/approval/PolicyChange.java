package dev.deviceactions.approval;

import dev.deviceactions.action.ActionType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** A change of a policy that waits for approval: the new values, null where nothing changes. */
@RegisterForReflection
public record PolicyChange(String displayName, List<ActionType> actions, Integer minimumDevices) {}
