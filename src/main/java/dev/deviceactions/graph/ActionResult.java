package dev.deviceactions.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.secret.SecretView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One entry of a managedDevice's {@code deviceActionResults}: the latest run of one action, typed
 * as Graph types it. A lock carries the macOS {@code unlockPin}, a passcode or PIN reset its {@code
 * passcode}: the value only when the service revealed it to this caller, null otherwise.
 */
@RegisterForReflection
public sealed interface ActionResult {

  /** Any action without a secret of its own. */
  @RegisterForReflection
  record Plain(
      @JsonProperty("@odata.type") String odataType,
      String actionName,
      String actionState,
      Instant startDateTime,
      Instant lastUpdatedDateTime)
      implements ActionResult {}

  /** {@code #microsoft.graph.remoteLockActionResult}. */
  @RegisterForReflection
  record RemoteLock(
      @JsonProperty("@odata.type") String odataType,
      String actionName,
      String actionState,
      Instant startDateTime,
      Instant lastUpdatedDateTime,
      String unlockPin)
      implements ActionResult {}

  /** {@code #microsoft.graph.resetPasscodeActionResult}. */
  @RegisterForReflection
  record ResetPasscode(
      @JsonProperty("@odata.type") String odataType,
      String actionName,
      String actionState,
      Instant startDateTime,
      Instant lastUpdatedDateTime,
      String passcode)
      implements ActionResult {}

  static ActionResult of(ActionView run, SecretView revealed) {
    String secret =
        revealed != null && revealed.actionId().equals(run.id()) ? revealed.value() : null;
    String name = run.action().name();
    String state = run.state().name();
    return switch (run.action()) {
      case remoteLock ->
          new RemoteLock(
              "#microsoft.graph.remoteLockActionResult",
              name,
              state,
              run.requestedAt(),
              run.lastUpdatedAt(),
              secret);
      case resetPasscode, resetPin ->
          new ResetPasscode(
              "#microsoft.graph.resetPasscodeActionResult",
              name,
              state,
              run.requestedAt(),
              run.lastUpdatedAt(),
              secret);
      default ->
          new Plain(
              "#microsoft.graph.deviceActionResult",
              name,
              state,
              run.requestedAt(),
              run.lastUpdatedAt());
    };
  }
}
