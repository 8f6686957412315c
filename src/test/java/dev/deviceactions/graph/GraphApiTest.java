package dev.deviceactions.graph;

import static dev.deviceactions.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Api.EnrolledDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Graph-compatible surface over plain HTTP: managedDevices with the OData subset and paging,
 * the three actions with the admin API's rules, roles and audit, deviceActionResults and their
 * secrets, the beta report and executeAction, and Graph's error shape for every refusal.
 */
@QuarkusTest
class GraphApiTest {
  static final String V1 = "/graph/v1.0/deviceManagement";
  static final String BETA = "/graph/beta/deviceManagement";

  static RequestSpecification graph(List<String> roles, String scp) {
    return given()
        .urlEncodingEnabled(true)
        .auth()
        .oauth2(Api.graphToken("graph@example.com", roles, scp));
  }

  static RequestSpecification reader() {
    return graph(List.of("DeviceManagementManagedDevices.Read.All"), null);
  }

  static final String SECRETS_READER = "helpdesk@example.com";

  static RequestSpecification secretsReader() {
    return given().auth().oauth2(Api.token(SECRETS_READER, "devices.read", "secrets.read"));
  }

  /** A Graph error: the admin API's status and code, the ids of the request. */
  static ValidatableResponse graphError(Response response, int status, String code) {
    return response
        .then()
        .statusCode(status)
        .contentType("application/json")
        .body("error.code", equalTo(code))
        .body("error.message", notNullValue())
        .body("error.innerError.date", notNullValue())
        .body("error.innerError.request-id", notNullValue())
        .body("error.innerError.client-request-id", notNullValue());
  }

  static String tag() {
    return "g" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void managedDevicesFilterByEqStartswithAndAndPageWithAnAbsoluteNextLink() {
    String tag = tag();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(Api.enroll(Map.of("name", tag + "-mac-" + i, "serialNumber", tag + i)).id());
    }
    Api.enroll(Map.of("name", tag + "-pc", "platform", "windows", "osVersion", "10.0"));
    String filter = "startswith(deviceName,'" + tag + "-mac') and operatingSystem eq 'macOS'";
    Response first =
        reader()
            .queryParam("$filter", filter)
            .queryParam("$top", "2")
            .get(V1 + "/managedDevices")
            .then()
            .statusCode(200)
            .body(
                "'@odata.context'",
                endsWithPath("/graph/v1.0/$metadata#deviceManagement/managedDevices"))
            .body("value", hasSize(2))
            .body("value[0].operatingSystem", equalTo("macOS"))
            .extract()
            .response();
    String next = first.path("'@odata.nextLink'");
    assertTrue(next.startsWith(RestAssured.baseURI + ":" + RestAssured.port + V1), next);
    List<String> seen = new ArrayList<>(first.path("value.id"));
    while (next != null) {
      Response page =
          reader().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().response();
      seen.addAll(page.path("value.id"));
      next = page.path("'@odata.nextLink'");
    }
    assertEquals(ids.reversed(), seen);

    reader()
        .queryParam(
            "$filter", "serialNumber eq '" + tag + "3' and deviceName eq '" + tag + "-mac-3'")
        .get(V1 + "/managedDevices")
        .then()
        .statusCode(200)
        .body("value.id", equalTo(List.of(ids.get(3))))
        .body("'@odata.nextLink'", nullValue());
  }

  private static org.hamcrest.Matcher<String> endsWithPath(String suffix) {
    return org.hamcrest.Matchers.endsWith(suffix);
  }

  @Test
  void aManagedDeviceHasGraphsNamesAndSelectKeepsOnlyWhatWasAsked() {
    EnrolledDevice pc =
        Api.enroll(
            Map.of(
                "platform",
                "windows",
                "osVersion",
                "10.0.22631",
                "owner",
                "bob@example.com",
                "serialNumber",
                "SN-1",
                "azureAdJoined",
                true));
    reader()
        .get(V1 + "/managedDevices/" + pc.id())
        .then()
        .statusCode(200)
        .body("id", equalTo(pc.id()))
        .body("operatingSystem", equalTo("Windows"))
        .body("osVersion", equalTo("10.0.22631"))
        .body("isSupervised", equalTo(false))
        .body("userPrincipalName", equalTo("bob@example.com"))
        .body("azureADRegistered", equalTo(true))
        .body("enrolledDateTime", notNullValue())
        .body("lastSyncDateTime", nullValue())
        .body("deviceActionResults", hasSize(0));
    reader()
        .queryParam("$select", "deviceName,serialNumber")
        .get("/graph/beta/deviceManagement/managedDevices/" + pc.id())
        .then()
        .statusCode(200)
        .body("keySet()", containsInAnyOrder("deviceName", "serialNumber"))
        .body("serialNumber", equalTo("SN-1"));
  }

  @Test
  void theThreeActionsAnswer204WithTheAdminApisRulesRolesAndAudit() {
    EnrolledDevice pc = Api.windows();
    String operator = "graph-operator@example.com";
    String token =
        Api.graphToken(
            operator, List.of(), "DeviceManagementManagedDevices.PrivilegedOperations.All");
    given()
        .auth()
        .oauth2(token)
        .post(V1 + "/managedDevices/" + pc.id() + "/rebootNow")
        .then()
        .statusCode(204);
    asAdmin()
        .queryParam("deviceId", pc.id())
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(1))
        .body("items[0].action", equalTo("rebootNow"))
        .body("items[0].initiatedBy", equalTo(operator));

    // A Windows PC cannot be locked: the support matrix's refusal, audited, in Graph's shape.
    graphError(
            given().auth().oauth2(token).post(V1 + "/managedDevices/" + pc.id() + "/remoteLock"),
            422,
            "actionNotSupported")
        .body("error.message", containsString("reason"));
    asAdmin()
        .queryParam("actor", operator)
        .queryParam("deviceId", pc.id())
        .get("/api/v1/audit-events")
        .then()
        .body("items.outcome", containsInAnyOrder("actionNotSupported", "accepted"));

    // Read.All may read but not act; a scope it does not know grants nothing.
    graphError(reader().post(V1 + "/managedDevices/" + pc.id() + "/rebootNow"), 403, "forbidden");
    graphError(graph(List.of(), "User.Read").get(V1 + "/managedDevices"), 403, "forbidden");
    graphError(given().get(V1 + "/managedDevices"), 401, "unauthorized");
    graphError(
        given()
            .auth()
            .oauth2(token)
            .post(V1 + "/managedDevices/" + UUID.randomUUID() + "/resetPasscode"),
        404,
        "deviceNotFound");
  }

  @Test
  void theIdempotencyKeyWorksAsOnTheAdminApi() {
    EnrolledDevice pc = Api.windows();
    String key = UUID.randomUUID().toString();
    for (int i = 0; i < 2; i++) {
      asAdmin()
          .header("Idempotency-Key", key)
          .post(BETA + "/managedDevices/" + pc.id() + "/rebootNow")
          .then()
          .statusCode(204);
    }
    asAdmin()
        .queryParam("deviceId", pc.id())
        .get("/api/v1/device-actions")
        .then()
        .body("items", hasSize(1));
    graphError(
        asAdmin()
            .header("Idempotency-Key", key)
            .post(BETA + "/managedDevices/" + Api.windows().id() + "/rebootNow"),
        422,
        "idempotencyKeyReused");
  }

  @Test
  void theUnlockPinIsShownOnlyToSecretsReadersAndAuditedEachTimeItIsShown() {
    EnrolledDevice mac = Api.mac();
    asAdmin().post(V1 + "/managedDevices/" + mac.id() + "/remoteLock").then().statusCode(204);
    String pin = Api.secret(mac, "recoveryPin.value");
    String path = V1 + "/managedDevices/" + mac.id();
    secretsReader()
        .get(path)
        .then()
        .statusCode(200)
        .body("deviceActionResults", hasSize(1))
        .body(
            "deviceActionResults[0].'@odata.type'",
            equalTo("#microsoft.graph.remoteLockActionResult"))
        .body("deviceActionResults[0].actionName", equalTo("remoteLock"))
        .body("deviceActionResults[0].actionState", equalTo("pending"))
        .body("deviceActionResults[0].unlockPin", equalTo(pin));
    secretsReader().get(path).then().body("deviceActionResults[0].unlockPin", equalTo(pin));
    reader().get(path).then().statusCode(200).body("deviceActionResults[0].unlockPin", nullValue());
    secretsReader()
        .queryParam("$select", "deviceName")
        .get(path)
        .then()
        .body("keySet()", equalTo(java.util.Set.of("deviceName")));
    assertEquals(2, revealed(mac));
  }

  @Test
  void aResetPasscodeCarriesThePasscodeUntilAnotherActionIsTheLatest() {
    EnrolledDevice phone =
        Api.enroll(Map.of("platform", "iOS", "osVersion", "17.4", "supervised", true));
    String path = BETA + "/managedDevices/" + phone.id();
    asAdmin().post(path + "/resetPasscode").then().statusCode(204);
    String passcode = Api.secret(phone, "temporaryPasscode.value");
    secretsReader()
        .get(path)
        .then()
        .body(
            "deviceActionResults[0].'@odata.type'",
            equalTo("#microsoft.graph.resetPasscodeActionResult"))
        .body("deviceActionResults[0].passcode", equalTo(passcode));
    assertEquals(1, revealed(phone));

    asAdmin().post(path + "/rebootNow").then().statusCode(204);
    secretsReader()
        .get(path)
        .then()
        .body("deviceActionResults.actionName", containsInAnyOrder("resetPasscode", "rebootNow"))
        .body("deviceActionResults.find { it.actionName == 'resetPasscode' }.passcode", nullValue())
        .body(
            "deviceActionResults.find { it.actionName == 'rebootNow' }.'@odata.type'",
            equalTo("#microsoft.graph.deviceActionResult"));
    assertEquals(1, revealed(phone));
  }

  private static int revealed(EnrolledDevice device) {
    return asAdmin()
        .queryParam("deviceId", device.id())
        .queryParam("activity", "secretRevealed")
        .queryParam("actor", SECRETS_READER)
        .get("/api/v1/audit-events")
        .then()
        .extract()
        .path("items.size()");
  }

  @Test
  void remoteActionAuditsIsTheDeviceActionsReport() {
    EnrolledDevice pc =
        Api.enroll(
            Map.of(
                "platform",
                "windows",
                "osVersion",
                "10.0",
                "owner",
                "carol@example.com",
                "name",
                "carol-pc"));
    Api.request(pc, "rebootNow");
    Api.request(pc, "rebootNow");
    String filter =
        "managedDeviceId eq '"
            + pc.id()
            + "' and action eq 'rebootNow' and actionState eq 'pending'";
    Response page =
        reader()
            .queryParam("$filter", filter)
            .queryParam("$top", "1")
            .get(BETA + "/remoteActionAudits")
            .then()
            .statusCode(200)
            .body("value", hasSize(1))
            .body("value[0].deviceDisplayName", equalTo("carol-pc"))
            .body("value[0].deviceOwnerUserPrincipalName", equalTo("carol@example.com"))
            .body("value[0].userName", equalTo("carol@example.com"))
            .body("value[0].initiatedByUserPrincipalName", equalTo("alice@example.com"))
            .body("value[0].action", equalTo("rebootNow"))
            .body("value[0].actionState", equalTo("pending"))
            .body("value[0].managedDeviceId", equalTo(pc.id()))
            .body("value[0].deviceIMEI", nullValue())
            .body("value[0].requestDateTime", notNullValue())
            .extract()
            .response();
    String next = page.path("'@odata.nextLink'");
    Response last =
        reader()
            .urlEncodingEnabled(false)
            .get(next)
            .then()
            .statusCode(200)
            .body("value", hasSize(1))
            .extract()
            .response();
    assertNotEquals((String) page.path("value[0].id"), (String) last.path("value[0].id"));
    assertNull(last.path("'@odata.nextLink'"));
    graphError(reader().get(V1 + "/remoteActionAudits"), 404, "notFound");
  }

  @Test
  void executeActionIsABulkRequestInGraphsShape() {
    EnrolledDevice pc = Api.windows();
    EnrolledDevice phone = Api.enroll(Map.of("platform", "windowsPhone", "osVersion", "8.0"));
    String unknown = UUID.randomUUID().toString();
    asAdmin()
        .contentType("application/json")
        .body(Map.of("actionName", "rebootNow", "deviceIds", List.of(pc.id(), unknown)))
        .post(BETA + "/managedDevices/executeAction")
        .then()
        .statusCode(200)
        .body("successfulDeviceIds", equalTo(List.of(pc.id())))
        .body("notFoundDeviceIds", equalTo(List.of(unknown)))
        .body("failedDeviceIds", hasSize(0))
        .body("notSupportedDeviceIds", hasSize(0));
    graphError(
        reader()
            .contentType("application/json")
            .body(Map.of("actionName", "rebootNow", "deviceIds", List.of(phone.id())))
            .post(BETA + "/managedDevices/executeAction"),
        403,
        "forbidden");
    graphError(
            asAdmin()
                .contentType("application/json")
                .body(Map.of("actionName", "retire", "deviceIds", List.of(pc.id())))
                .post(BETA + "/managedDevices/executeAction"),
            400,
            "invalidRequest")
        .body("error.message", containsString("actionName"));
  }

  @Test
  void everyRefusalUnderGraphIsInGraphsShapeWithTheAdminApisStatusAndCode() {
    String list = V1 + "/managedDevices";
    Map<String, String> badOptions =
        Map.ofEntries(
            Map.entry("$orderby", "deviceName"),
            Map.entry("$count", "true"),
            Map.entry("$expand", "users"),
            Map.entry("$search", "x"),
            Map.entry("$skip", "1"),
            Map.entry("$top", "0"),
            Map.entry("$select", "id,wipe"),
            Map.entry("$skiptoken", "not-ours"));
    badOptions.forEach(
        (option, value) ->
            graphError(reader().queryParam(option, value).get(list), 400, "invalidRequest")
                .body("error.message", containsString(option)));
    for (String top : List.of("1001", "-1", "1e3", "", " 5", "ten")) {
      graphError(reader().queryParam("$top", top).get(list), 400, "invalidRequest");
    }
    for (String filter :
        List.of(
            "deviceName ne 'a'",
            "deviceName eq 'a' or deviceName eq 'b'",
            "(deviceName eq 'a')",
            "not deviceName eq 'a'",
            "osVersion eq '14.2'",
            "startswith(serialNumber,'x')",
            "endswith(deviceName,'x')",
            "deviceName eq 'a",
            "deviceName eq 5",
            "deviceName eq 'a' and deviceName eq 'b'",
            "deviceName eq 'a' and",
            "operatingSystem eq 'BeOS'",
            "id eq 'not-a-uuid'",
            "deviceName eq 'a' extra",
            "deviceName eq 'a'; drop table device",
            "")) {
      graphError(reader().queryParam("$filter", filter).get(list), 400, "invalidRequest")
          .body("error.message", containsString("$filter"));
    }
    graphError(
        reader().queryParam("$top", "1").queryParam("$top", "2").get(list), 400, "invalidRequest");
    graphError(
        reader().queryParam("$select", "deviceName").get(BETA + "/remoteActionAudits"),
        400,
        "invalidRequest");
    graphError(
        reader().queryParam("$filter", "action eq 'wipe'").get(BETA + "/remoteActionAudits"),
        400,
        "invalidRequest");
    graphError(
        reader().queryParam("$top", "5").get(list + "/" + UUID.randomUUID()),
        400,
        "invalidRequest");
    graphError(reader().get(list + "/" + UUID.randomUUID()), 404, "deviceNotFound");
    graphError(reader().get(list + "/not-a-uuid"), 400, "invalidRequest");
    graphError(reader().get("/graph/v2.0/deviceManagement/managedDevices"), 404, "notFound");
    graphError(reader().get(V1 + "/deviceCompliancePolicies"), 404, "notFound");
    graphError(reader().delete(list), 405, "methodNotAllowed");
    graphError(
        asAdmin()
            .contentType("text/plain")
            .body("rebootNow")
            .post(BETA + "/managedDevices/executeAction"),
        415,
        "unsupportedMediaType");
    graphError(
        asAdmin()
            .contentType("application/json")
            .body("{")
            .post(BETA + "/managedDevices/executeAction"),
        400,
        "invalidRequest");
    graphError(
        asAdmin()
            .contentType("application/json")
            .body("{\"deviceIds\": \"all\"}")
            .post(BETA + "/managedDevices/executeAction"),
        400,
        "invalidRequest");
  }

  @Test
  void aBodyTooLargeForExecuteActionIsA413InGraphsShape() throws Exception {
    String tooBig =
        "{\"actionName\":\"rebootNow\",\"deviceIds\":[\"" + "x".repeat(2 << 20) + "\"]}";
    HttpResponse<String> response =
        Api.postLargeJson(
            BETA + "/managedDevices/executeAction",
            Api.token("graph@example.com", "admin"),
            tooBig);
    assertEquals(413, response.statusCode());
    JsonPath error = JsonPath.from(response.body());
    assertEquals("payloadTooLarge", error.getString("error.code"));
    assertNotNull(error.getString("error.message"));
    assertNotNull(error.getString("error.innerError.request-id"));
  }

  @Test
  void graphsRequestIdsComeBackOnEveryAnswer() {
    reader()
        .header("client-request-id", "my-run-42")
        .get(V1 + "/managedDevices/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .header("client-request-id", "my-run-42")
        .header("request-id", matchesPattern("[0-9a-f-]{36}"))
        .body("error.innerError.client-request-id", equalTo("my-run-42"));
    reader()
        .get(V1 + "/managedDevices")
        .then()
        .statusCode(200)
        .header("request-id", notNullValue())
        .body("'@odata.context'", startsWith("http"));
  }
}
