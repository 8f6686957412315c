package dev.deviceactions.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.action.ActionService;
import dev.deviceactions.approval.ApprovalGate;
import dev.deviceactions.device.DeviceService;
import jakarta.ws.rs.Path;

/** {@code /graph/v1.0/deviceManagement}: managedDevices, as Graph v1.0 has them. */
@Path("/graph/v1.0/deviceManagement")
public class GraphV1Resource extends ManagedDevicesResource {

  public GraphV1Resource(
      DeviceService devices, ActionService actions, ApprovalGate gate, ObjectMapper json) {
    super(devices, actions, gate, json);
  }
}
