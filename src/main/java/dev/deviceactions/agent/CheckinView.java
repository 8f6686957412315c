package dev.deviceactions.agent;

import java.util.List;

/** The answer to a check-in: the device's commands, oldest first. */
public record CheckinView(List<Command> commands) {}
