package dev.deviceactions.action;

import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.Times;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * A restart must be done within {@code device-actions.restart.timeout} of its request: past that,
 * one not done has failed with failureReason timedOut. Every read applies the rule, so an overdue
 * restart reads as failed whether or not the sweep has recorded it yet; the sweep only writes down
 * (row and audit event) what reads already show, with the same completion time.
 */
@ApplicationScoped
public class RestartDeadline {
  public static final String TIMED_OUT = "timedOut";

  private final Duration timeout;

  public RestartDeadline(DeviceActionsConfig config) {
    this.timeout = config.restart().timeout();
  }

  public Duration timeout() {
    return timeout;
  }

  /** Restarts requested before this instant and not done by {@code now} are overdue. */
  public Instant overdueBefore(Instant now) {
    return now.minus(timeout);
  }

  /**
   * {@link #passed} without the open state, as SQL on the device_action row {@code table} (a name
   * or an alias), with {@code before} (a parameter) as {@link #overdueBefore}.
   */
  public static String overdueSql(String table, String before) {
    return "("
        + table
        + ".action = '"
        + ActionType.rebootNow.name()
        + "' and "
        + table
        + ".requested_at < "
        + before
        + ")";
  }

  /** Whether {@code action} is a restart still open at {@code now} past its deadline. */
  public boolean passed(DeviceAction action, Instant now) {
    return action.action == ActionType.rebootNow
        && !action.state.isFinal()
        && action.requestedAt.isBefore(overdueBefore(now));
  }

  /** The action as it reads now. */
  public ActionView view(DeviceAction action) {
    return view(action, Times.now());
  }

  /** The action as it read at {@code at}: an overdue restart failed when its time ran out. */
  public ActionView view(DeviceAction action, Instant at) {
    ActionView stored = ActionView.of(action);
    return passed(action, at) ? stored.timedOut(action.requestedAt.plus(timeout)) : stored;
  }
}
