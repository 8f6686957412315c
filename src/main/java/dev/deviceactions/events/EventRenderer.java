package dev.deviceactions.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.approval.ApprovalService;
import dev.deviceactions.common.Columns;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceView;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.OffsetDateTime;

/**
 * Turns an outbox row into its CloudEvent: the stored row becomes the API's own action view or
 * device view, written by the API's ObjectMapper, so that an event's data and a GET agree field for
 * field. The row never held a token hash, and the views hold no PIN or passcode.
 */
@ApplicationScoped
public class EventRenderer {
  static final String DEVICE_EVENTS = "dev.deviceactions.device.";
  static final String APPROVAL_EVENTS = "dev.deviceactions.approval.";

  private final ObjectMapper json;
  private final URI source;
  private final RestartDeadline deadline;
  private final boolean pushCertificate;
  private final ApprovalService approvals;

  public EventRenderer(
      ObjectMapper json,
      DeviceActionsConfig config,
      RestartDeadline deadline,
      ApprovalService approvals) {
    this.json = json;
    this.deadline = deadline;
    this.pushCertificate = config.apple().pushCert().isPresent();
    this.approvals = approvals;
    this.source = URI.create(config.events().source());
  }

  CloudEvent render(OutboxEvent e) throws JsonProcessingException {
    Object view =
        e.type().startsWith(DEVICE_EVENTS)
            ? deviceView(e.data(), e.occurredAt())
            : e.type().startsWith(APPROVAL_EVENTS)
                ? approvals.eventView(e.data(), e.occurredAt().toInstant())
                : deadline.view(
                    DeviceAction.from(Columns.of(e.data())), e.occurredAt().toInstant());
    return CloudEventBuilder.v1()
        .withId(e.id().toString())
        .withSource(source)
        .withType(e.type())
        .withSubject(e.subject().toString())
        .withTime(e.occurredAt())
        .withDataContentType("application/json")
        .withData(json.writeValueAsBytes(view))
        .build();
  }

  /**
   * The device as it read when the event occurred. A removed device's secrets are no longer shown
   * anywhere, so the flags are false.
   */
  private DeviceView deviceView(JsonObject row, OffsetDateTime at) {
    JsonObject latest = row.getJsonObject("latest_action");
    ActionView action =
        latest == null
            ? null
            : deadline.view(DeviceAction.from(Columns.of(latest)), at.toInstant());
    return DeviceView.of(Device.from(Columns.of(row)), action, false, false, pushCertificate, null);
  }
}
