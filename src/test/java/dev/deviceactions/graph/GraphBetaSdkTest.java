package dev.deviceactions.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.graph.beta.devicemanagement.manageddevices.executeaction.ExecuteActionPostRequestBody;
import com.microsoft.graph.beta.models.ActionState;
import com.microsoft.graph.beta.models.BulkManagedDeviceActionResult;
import com.microsoft.graph.beta.models.ManagedDeviceRemoteAction;
import com.microsoft.graph.beta.models.RemoteAction;
import com.microsoft.graph.beta.models.RemoteActionAudit;
import com.microsoft.graph.beta.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The official Graph beta SDK: executeAction for a bulk restart, then the Device actions report.
 */
@QuarkusTest
class GraphBetaSdkTest {

  static GraphServiceClient client(String token) {
    AccessTokenProvider tokens =
        new AccessTokenProvider() {
          @Override
          public String getAuthorizationToken(URI uri, Map<String, Object> context) {
            return token;
          }

          @Override
          public AllowedHostsValidator getAllowedHostsValidator() {
            return new AllowedHostsValidator("localhost");
          }
        };
    GraphServiceClient client =
        new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens));
    client
        .getRequestAdapter()
        .setBaseUrl(RestAssured.baseURI + ":" + RestAssured.port + "/graph/beta");
    return client;
  }

  @Test
  void executeActionRestartsAFleetAndRemoteActionAuditsReportsIt() {
    EnrolledDevice pc =
        Api.enroll(Map.of("platform", "windows", "osVersion", "10.0", "name", "beta-pc"));
    String unknown = UUID.randomUUID().toString();
    GraphServiceClient graph =
        client(
            Api.graphToken(
                "runbook@example.com",
                List.of(
                    "DeviceManagementManagedDevices.Read.All",
                    "DeviceManagementManagedDevices.PrivilegedOperations.All"),
                null));
    ExecuteActionPostRequestBody body = new ExecuteActionPostRequestBody();
    body.setActionName(ManagedDeviceRemoteAction.RebootNow);
    body.setDeviceIds(List.of(pc.id(), unknown));
    BulkManagedDeviceActionResult result =
        graph.deviceManagement().managedDevices().executeAction().post(body);
    assertEquals(List.of(pc.id()), result.getSuccessfulDeviceIds());
    assertEquals(List.of(unknown), result.getNotFoundDeviceIds());

    List<RemoteActionAudit> audits =
        graph
            .deviceManagement()
            .remoteActionAudits()
            .get(request -> request.queryParameters.filter = "managedDeviceId eq '" + pc.id() + "'")
            .getValue();
    assertEquals(1, audits.size());
    RemoteActionAudit audit = audits.getFirst();
    assertEquals(RemoteAction.RebootNow, audit.getAction());
    assertEquals(ActionState.Pending, audit.getActionState());
    assertEquals("beta-pc", audit.getDeviceDisplayName());
    assertEquals("runbook@example.com", audit.getInitiatedByUserPrincipalName());
  }
}
