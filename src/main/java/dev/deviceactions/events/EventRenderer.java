package dev.deviceactions.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.action.ActionState;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.ActionView;
import dev.deviceactions.action.DeviceAction;
import dev.deviceactions.action.RestartDeadline;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceView;
import dev.deviceactions.device.ManagementMode;
import dev.deviceactions.device.Platform;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Turns an outbox row into its CloudEvent: the stored row becomes the API's own action view or
 * device view, written by the API's ObjectMapper, so that an event's data and a GET agree field for
 * field. The row never held a token hash, and the views hold no PIN or passcode.
 */
@ApplicationScoped
public class EventRenderer {
  static final String DEVICE_EVENTS = "dev.deviceactions.device.";

  private final ObjectMapper json;
  private final URI source;
  private final RestartDeadline deadline;

  public EventRenderer(ObjectMapper json, DeviceActionsConfig config, RestartDeadline deadline) {
    this.json = json;
    this.deadline = deadline;
    this.source = URI.create(config.events().source());
  }

  CloudEvent render(OutboxEvent e) throws JsonProcessingException {
    Object view =
        e.type().startsWith(DEVICE_EVENTS)
            ? deviceView(e.data(), e.occurredAt())
            : deadline.view(action(e.data()), e.occurredAt().toInstant());
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
    ActionView action = latest == null ? null : deadline.view(action(latest), at.toInstant());
    return DeviceView.of(device(row), action, false, false, null);
  }

  static Device device(JsonObject row) {
    Device d = new Device();
    d.id = UUID.fromString(row.getString("id"));
    d.name = row.getString("name");
    d.platform = Platform.valueOf(row.getString("platform"));
    d.osVersion = row.getString("os_version");
    String mode = row.getString("management_mode");
    d.managementMode = mode == null ? null : ManagementMode.valueOf(mode);
    d.supervised = row.getBoolean("supervised");
    d.passcodeSet = row.getBoolean("passcode_set");
    d.azureAdJoined = row.getBoolean("azure_ad_joined");
    d.serialNumber = row.getString("serial_number");
    d.owner = row.getString("owner");
    d.enrolledAt = instant(row, "enrolled_at");
    d.lastCheckInAt = instant(row, "last_check_in_at");
    d.deletedAt = instant(row, "deleted_at");
    return d;
  }

  static DeviceAction action(JsonObject row) {
    DeviceAction a = new DeviceAction();
    a.id = UUID.fromString(row.getString("id"));
    a.deviceId = UUID.fromString(row.getString("device_id"));
    a.action = ActionType.valueOf(row.getString("action"));
    a.state = ActionState.valueOf(row.getString("state"));
    a.failureReason = row.getString("failure_reason");
    a.detail = row.getString("detail");
    a.initiatedBy = row.getString("initiated_by");
    a.requestedAt = instant(row, "requested_at");
    a.lastUpdatedAt = instant(row, "last_updated_at");
    a.completedAt = instant(row, "completed_at");
    String bulk = row.getString("bulk_action_id");
    a.bulkActionId = bulk == null ? null : UUID.fromString(bulk);
    a.notNowCount = row.getInteger("not_now_count");
    return a;
  }

  /** PostgreSQL writes timestamptz into JSON with an offset (+00:00 in a UTC session). */
  private static Instant instant(JsonObject row, String column) {
    String value = row.getString(column);
    return value == null ? null : OffsetDateTime.parse(value).toInstant();
  }
}
