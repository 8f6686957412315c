package dev.deviceactions.apple;

import static dev.deviceactions.support.Api.as;
import static dev.deviceactions.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.PropertyListParser;
import dev.deviceactions.apple.AppleDevices.Enrolled;
import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Enrolling an Apple device: the enrollment profile, Authenticate and TokenUpdate, the inventory
 * the service then asks for, and CheckOut, as the overview, the audit and Graph show them.
 */
@QuarkusTest
class AppleEnrollmentTest {

  @Test
  void theProfileHoldsAScepAndAnMdmPayloadPointingAtThisService() throws Exception {
    String id = AppleDevices.record(AppleDevice.Model.mac, Map.of("name", "Ana's Mac")).id();

    Response response =
        asAdmin()
            .post("/api/v1/devices/" + id + "/appleEnrollmentProfile")
            .then()
            .statusCode(200)
            .contentType("application/x-apple-aspen-config")
            .header("Content-Disposition", "attachment; filename=\"Ana_s Mac.mobileconfig\"")
            .extract()
            .response();

    NSDictionary profile = (NSDictionary) PropertyListParser.parse(response.asByteArray());
    assertEquals("Configuration", text(profile, "PayloadType"));
    Map<String, NSDictionary> payloads = new HashMap<>();
    for (NSObject p : ((NSArray) profile.get("PayloadContent")).getArray()) {
      payloads.put(text((NSDictionary) p, "PayloadType"), (NSDictionary) p);
    }
    NSDictionary scep = payloads.get("com.apple.security.scep");
    NSDictionary scepContent = (NSDictionary) scep.get("PayloadContent");
    NSDictionary mdm = payloads.get("com.apple.mdm");
    String base = "http://localhost:" + io.restassured.RestAssured.port;
    assertEquals(base + "/mdm/apple/scep", text(scepContent, "URL"));
    assertEquals(2048, ((Number) scepContent.get("Keysize").toJavaObject()).intValue());
    assertTrue(text(scepContent, "Challenge").length() >= 32);
    assertTrue(scepContent.get("Subject").toXMLPropertyList().contains(id));
    assertEquals(base + "/mdm/apple/connect", text(mdm, "ServerURL"));
    assertEquals(base + "/mdm/apple/checkin", text(mdm, "CheckInURL"));
    assertEquals("com.apple.mgmt.External.device-actions-test", text(mdm, "Topic"));
    assertEquals(text(scep, "PayloadUUID"), text(mdm, "IdentityCertificateUUID"));
    assertEquals(Boolean.TRUE, mdm.get("SignMessage").toJavaObject());
    assertEquals(8191, ((Number) mdm.get("AccessRights").toJavaObject()).intValue());
    assertEquals(Boolean.TRUE, mdm.get("CheckOutWhenRemoved").toJavaObject());
  }

  @Test
  void askingForAProfileIsAuditedWithoutTheChallenge() {
    String id = AppleDevices.record(AppleDevice.Model.iPhone, Map.of()).id();
    String challenge = AppleDevice.Profile.parse(AppleDevices.profile(id)).challenge();

    String audit =
        asAdmin()
            .get("/api/v1/audit-events?deviceId=" + id)
            .then()
            .statusCode(200)
            .body("items.find { it.activity == 'appleEnrollmentProfileIssued' }", notNullValue())
            .extract()
            .asString();
    assertTrue(!audit.contains(challenge), audit);
  }

  @Test
  void aNewerProfileGetsANewChallenge() {
    String id = AppleDevices.record(AppleDevice.Model.iPad, Map.of()).id();
    String first = AppleDevice.Profile.parse(AppleDevices.profile(id)).challenge();
    String second = AppleDevice.Profile.parse(AppleDevices.profile(id)).challenge();
    assertNotEquals(first, second);
  }

  @Test
  void onlyMacsIPhonesAndIPadsGetAProfile() {
    String windows = Api.windows().id();
    asAdmin()
        .post("/api/v1/devices/" + windows + "/appleEnrollmentProfile")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("code", equalTo("enrollmentNotSupported"));
    asAdmin()
        .post("/api/v1/devices/00000000-0000-0000-0000-000000000000/appleEnrollmentProfile")
        .then()
        .statusCode(404)
        .body("code", equalTo("deviceNotFound"));
    as("devices.read")
        .post("/api/v1/devices/" + windows + "/appleEnrollmentProfile")
        .then()
        .statusCode(403);
  }

  @Test
  void anEnrolledDeviceIsManagedOverAppleMdm() {
    Enrolled phone = AppleDevices.iPhone();

    asAdmin()
        .get("/api/v1/devices/" + phone.id())
        .then()
        .statusCode(200)
        .body("managementChannel", equalTo("appleMdm"))
        .body("appleMdm.udid", equalTo(phone.device().udid))
        .body("appleMdm.enrolled", equalTo(true))
        .body("appleMdm.enrolledAt", notNullValue())
        .body("appleMdm.lastSeenAt", notNullValue())
        .body("appleMdm.pushConfigured", equalTo(false))
        .body("name", equalTo(phone.device().name))
        .body("serialNumber", equalTo(phone.device().serialNumber));
    asAdmin()
        .get("/graph/v1.0/deviceManagement/managedDevices/" + phone.id())
        .then()
        .statusCode(200)
        .body("managementAgent", equalTo("mdm"));
  }

  @Test
  void anAgentDeviceHasNoAppleMdm() {
    String id = Api.windows().id();
    asAdmin()
        .get("/api/v1/devices/" + id)
        .then()
        .body("managementChannel", equalTo("agent"))
        .body("appleMdm", nullValue());
    asAdmin()
        .get("/graph/v1.0/deviceManagement/managedDevices/" + id)
        .then()
        .body("managementAgent", not(equalTo("mdm")));
  }

  @Test
  void theInventoryAnswersUpdateTheFactsTheSupportMatrixReads() {
    Enrolled phone =
        AppleDevices.enrolled(
            AppleDevice.Model.iPhone,
            Map.of("osVersion", "16.0", "supervised", true, "passcodeSet", false),
            true);

    asAdmin()
        .get("/api/v1/devices/" + phone.id())
        .then()
        .body("osVersion", equalTo("17.4"))
        .body("supervised", equalTo(true))
        .body("passcodeSet", equalTo(false))
        .body("unsupportedActions.remoteLock", equalTo("noPasscode"));
  }

  @Test
  void aMacThatAnswersOnlySomeQueriesKeepsTheRest() {
    Enrolled mac =
        AppleDevices.enrolled(
            AppleDevice.Model.mac, Map.of("passcodeSet", true, "supervised", true), false);

    // A Mac reports neither IsSupervised nor PasscodePresent: both stay as they were.
    asAdmin()
        .get("/api/v1/devices/" + mac.id())
        .then()
        .body("osVersion", equalTo("14.2"))
        .body("supervised", equalTo(true))
        .body("passcodeSet", equalTo(true));
  }

  @Test
  void checkOutEndsTheEnrollmentAndCancelsWhatIsPending() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());

    assertEquals(200, phone.device().checkOut().status());

    asAdmin()
        .get("/api/v1/devices/" + phone.id())
        .then()
        .body("appleMdm.enrolled", equalTo(false))
        .body("appleMdm.pushConfigured", equalTo(false));
    assertEquals("canceled", AppleCommandsTest.state(lock));
    asAdmin()
        .get("/api/v1/audit-events?deviceId=" + phone.id())
        .then()
        .body("items.activity", org.hamcrest.Matchers.hasItem("appleMdmCheckedOut"));
  }

  @Test
  void usersAreNotManagedHere() {
    Enrolled mac = AppleDevices.mac();
    AppleDevice.Reply reply =
        mac.device()
            .checkin(
                AppleDevice.message(
                    "MessageType", "UserAuthenticate",
                    "UDID", mac.device().udid,
                    "UserID", "A1B2C3D4-0000-0000-0000-000000000000",
                    "DigestResponse", ""));
    assertEquals(410, reply.status());
  }

  @Test
  void anUnsupportedMessageTypeIsABadRequest() {
    Enrolled mac = AppleDevices.mac();
    AppleDevice.Reply reply =
        mac.device()
            .checkin(
                AppleDevice.message(
                    "MessageType", "DeclarativeManagement", "UDID", mac.device().udid));
    assertEquals(400, reply.status());
    assertTrue(reply.asText().contains("invalidRequest"), reply.asText());
  }

  @Test
  void theStatusViewShowsMdmActionsLikeAnyOther() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = AppleCommandsTest.lock(phone.id(), Map.of());
    phone.device().acknowledged(phone.device().idle().command());

    asAdmin()
        .get("/api/v1/device-actions?deviceId=" + phone.id())
        .then()
        .body("items[0].id", equalTo(lock))
        .body("items[0].state", equalTo("done"))
        .body("items[0].initiatedBy", containsString("alice"));
  }

  private static String text(NSDictionary d, String key) {
    return d.get(key).toJavaObject().toString();
  }
}
