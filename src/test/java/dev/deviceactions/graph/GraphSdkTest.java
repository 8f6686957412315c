package dev.deviceactions.graph;

import static dev.deviceactions.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.ActionState;
import com.microsoft.graph.models.ManagedDevice;
import com.microsoft.graph.models.ManagedDeviceCollectionResponse;
import com.microsoft.graph.models.RemoteLockActionResult;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The official Microsoft Graph Java SDK (v1.0), pointed at this service with {@code setBaseUrl} and
 * a bearer token, runs the calls Intune automation makes: page through managedDevices with a
 * filter, read one with $select, lock a Mac and read its unlockPin, restart a Windows PC, and
 * surface a refusal as ODataError with this service's code.
 */
@QuarkusTest
class GraphSdkTest {

  /** The SDK as an Intune script builds it, with this service as the Graph endpoint. */
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
        .setBaseUrl(RestAssured.baseURI + ":" + RestAssured.port + "/graph/v1.0");
    return client;
  }

  /** A helpdesk operator with Intune's privileged-operations and read permissions, and secrets. */
  static GraphServiceClient operator() {
    return client(
        Api.token(
            "helpdesk@example.com",
            "devices.read",
            "secrets.read",
            "actions.remoteLock",
            "actions.rebootNow"));
  }

  @Test
  void pageIteratorWalksEveryPageOfAFilteredList() throws Exception {
    String tag = "sdk" + UUID.randomUUID().toString().substring(0, 8);
    List<String> enrolled = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      enrolled.add(Api.enroll(Map.of("name", tag + "-" + i)).id());
    }
    GraphServiceClient graph =
        client(
            Api.graphToken(
                "script@example.com", List.of("DeviceManagementManagedDevices.Read.All"), null));
    ManagedDeviceCollectionResponse first =
        graph
            .deviceManagement()
            .managedDevices()
            .get(
                request -> {
                  request.queryParameters.filter = "startswith(deviceName,'" + tag + "')";
                  request.queryParameters.top = 2;
                });
    List<String> seen = new ArrayList<>();
    new PageIterator.Builder<ManagedDevice, ManagedDeviceCollectionResponse>()
        .client(graph)
        .collectionPage(first)
        .collectionPageFactory(ManagedDeviceCollectionResponse::createFromDiscriminatorValue)
        .processPageItemCallback(device -> seen.add(device.getId()))
        .build()
        .iterate();
    assertEquals(enrolled.reversed(), seen);
  }

  @Test
  void aManagedDeviceWithSelectHasOnlyThoseProperties() {
    EnrolledDevice mac = Api.enroll(Map.of("name", "sdk-select", "serialNumber", "C02SDK"));
    ManagedDevice device =
        operator()
            .deviceManagement()
            .managedDevices()
            .byManagedDeviceId(mac.id())
            .get(
                request ->
                    request.queryParameters.select = new String[] {"deviceName", "serialNumber"});
    assertEquals("sdk-select", device.getDeviceName());
    assertEquals("C02SDK", device.getSerialNumber());
    assertNull(device.getOperatingSystem());
    assertNull(device.getId());
  }

  @Test
  void lockAMacAndReadItsUnlockPinFromDeviceActionResults() {
    EnrolledDevice mac = Api.mac();
    GraphServiceClient graph = operator();
    graph.deviceManagement().managedDevices().byManagedDeviceId(mac.id()).remoteLock().post();
    ManagedDevice device =
        graph.deviceManagement().managedDevices().byManagedDeviceId(mac.id()).get();
    assertEquals("macOS", device.getOperatingSystem());
    RemoteLockActionResult lock =
        assertInstanceOf(RemoteLockActionResult.class, device.getDeviceActionResults().getFirst());
    assertEquals("remoteLock", lock.getActionName());
    assertEquals(ActionState.Pending, lock.getActionState());
    assertTrue(lock.getUnlockPin().matches("\\d{6}"), lock.getUnlockPin());
    assertEquals(Api.secret(mac, "recoveryPin.value"), lock.getUnlockPin());
  }

  @Test
  void restartAWindowsPc() {
    EnrolledDevice pc = Api.windows();
    operator().deviceManagement().managedDevices().byManagedDeviceId(pc.id()).rebootNow().post();
    asAdmin()
        .queryParam("deviceId", pc.id())
        .get("/api/v1/device-actions")
        .then()
        .statusCode(200)
        .body("items[0].action", org.hamcrest.Matchers.equalTo("rebootNow"))
        .body("items[0].initiatedBy", org.hamcrest.Matchers.equalTo("helpdesk@example.com"));
  }

  @Test
  void aRefusalIsAnODataErrorWithThisServicesCode() {
    EnrolledDevice pc = Api.windows();
    ODataError refused =
        assertThrows(
            ODataError.class,
            () ->
                operator()
                    .deviceManagement()
                    .managedDevices()
                    .byManagedDeviceId(pc.id())
                    .remoteLock()
                    .post());
    assertEquals(422, refused.getResponseStatusCode());
    assertEquals("actionNotSupported", refused.getError().getCode());
    ODataError missing =
        assertThrows(
            ODataError.class,
            () ->
                operator()
                    .deviceManagement()
                    .managedDevices()
                    .byManagedDeviceId(UUID.randomUUID().toString())
                    .get());
    assertEquals(404, missing.getResponseStatusCode());
    assertEquals("deviceNotFound", missing.getError().getCode());
  }
}
