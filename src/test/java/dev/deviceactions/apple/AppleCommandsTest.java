package dev.deviceactions.apple;

import static dev.deviceactions.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deviceactions.apple.AppleDevices.Enrolled;
import dev.deviceactions.apple.sim.AppleDevice;
import dev.deviceactions.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The remote actions as Apple MDM commands (api.md's table), and what each device status does to
 * the action: Acknowledged, Error, CommandFormatError, NotNow, and no answer at all.
 */
@QuarkusTest
class AppleCommandsTest {

  @Test
  void aMacsLockIsDeviceLockWithTheRecoveryPinTheOverviewShows() {
    Enrolled mac = AppleDevices.mac();
    String actionId = lock(mac.id(), Map.of("message", "Call IT", "phoneNumber", "+31 20 123"));

    AppleDevice.Command command = mac.device().idle().command();

    assertEquals(actionId, command.uuid());
    assertEquals("DeviceLock", command.requestType());
    assertEquals(secret(mac.id(), "recoveryPin.value"), command.string("PIN"));
    assertEquals("Call IT", command.string("Message"));
    assertEquals("+31 20 123", command.string("PhoneNumber"));
    assertEquals("active", state(actionId));
  }

  @Test
  void anAcknowledgedLockIsDoneAndTheMacReachingTheServerAgainLiftsThePinGuard() {
    Enrolled mac = AppleDevices.mac();
    String first = lock(mac.id(), Map.of());
    AppleDevice.Reply afterAck = mac.device().acknowledged(mac.device().idle().command());

    assertEquals(200, afterAck.status());
    assertNull(afterAck.command());
    assertEquals("done", state(first));
    // The Mac locked itself: no second lock while its PIN is outstanding.
    refusedLock(mac.id(), 409, "recoveryPinOutstanding");

    // A locked Mac cannot connect: this one was unlocked with the PIN.
    assertNull(mac.device().idle().command());

    String second = lock(mac.id(), Map.of());
    assertEquals(second, mac.device().idle().command().uuid());
  }

  @Test
  void anIPhonesLockCarriesNoPin() {
    Enrolled phone = AppleDevices.iPhone();
    String actionId = lock(phone.id(), Map.of("message", "Lost"));

    AppleDevice.Command command = phone.device().idle().command();

    assertEquals(actionId, command.uuid());
    assertEquals("DeviceLock", command.requestType());
    assertNull(command.string("PIN"));
    assertEquals("Lost", command.string("Message"));
  }

  @Test
  void resetAndRemovePasscodeAreClearPasscodeWithTheDevicesUnlockTokenAndNoNewPasscode() {
    Enrolled phone = AppleDevices.iPhone();
    for (String action : new String[] {"resetPasscode", "removePasscode"}) {
      String actionId = Api.request(phone.record(), action);

      AppleDevice.Command command = phone.device().idle().command();

      assertEquals(actionId, command.uuid());
      assertEquals("ClearPasscode", command.requestType());
      assertArrayEquals(phone.device().unlockToken(), command.data("UnlockToken"));
      assertNull(secret(phone.id(), "temporaryPasscode"), action);
      phone.device().acknowledged(command);
      assertEquals("done", state(actionId));
    }
  }

  @Test
  void withoutAnUnlockTokenThePasscodeActionsAreRefused() {
    Enrolled phone = AppleDevices.enrolled(AppleDevice.Model.iPhone, Map.of(), false);
    for (String action : new String[] {"resetPasscode", "removePasscode"}) {
      asAdmin()
          .post("/api/v1/devices/" + phone.id() + "/" + action)
          .then()
          .statusCode(422)
          .body("code", equalTo("actionNotSupported"))
          .body("reason", equalTo("noUnlockToken"));
    }
    asAdmin()
        .get("/api/v1/devices/" + phone.id())
        .then()
        .body("unsupportedActions.resetPasscode", equalTo("noUnlockToken"));
  }

  @Test
  void aSupervisedIPadRestartsWithRestartDevice() {
    Enrolled pad = AppleDevices.enrolled(AppleDevice.Model.iPad, Map.of("supervised", true), true);
    String actionId = Api.request(pad.record(), "rebootNow");

    AppleDevice.Command command = pad.device().idle().command();
    assertEquals("RestartDevice", command.requestType());
    pad.device().acknowledged(command);

    asAdmin()
        .get("/api/v1/device-actions/" + actionId)
        .then()
        .body("state", equalTo("done"))
        .body("failureReason", nullValue());
  }

  @Test
  void anErrorFailsTheActionWithItsErrorChainAsDetail() {
    Enrolled phone = AppleDevices.iPhone();
    String actionId = lock(phone.id(), Map.of());

    phone.device().error(phone.device().idle().command(), 12021, "MCMDMErrorDomain", "Unknown");

    asAdmin()
        .get("/api/v1/device-actions/" + actionId)
        .then()
        .body("state", equalTo("failed"))
        .body("failureReason", equalTo("deviceError"))
        .body("detail", equalTo("12021 MCMDMErrorDomain: Unknown"));
  }

  @Test
  void aCommandFormatErrorFailsTheAction() {
    Enrolled phone = AppleDevices.iPhone();
    String actionId = lock(phone.id(), Map.of());

    phone.device().commandFormatError(phone.device().idle().command());

    asAdmin()
        .get("/api/v1/device-actions/" + actionId)
        .then()
        .body("state", equalTo("failed"))
        .body("failureReason", equalTo("deviceError"))
        .body("detail", containsString("CommandFormatError"));
  }

  @Test
  void aFailedMacLockFreesThePinGuard() {
    Enrolled mac = AppleDevices.mac();
    lock(mac.id(), Map.of());
    mac.device().error(mac.device().idle().command(), 12000, "MCMDMErrorDomain", "No recovery");

    lock(mac.id(), Map.of());
  }

  @Test
  void notNowPutsTheActionBackForTheNextConnectAndGoesOnWithTheOthers() {
    Enrolled phone = AppleDevices.iPhone();
    String lock = lock(phone.id(), Map.of());
    String clear = Api.request(phone.record(), "removePasscode");

    AppleDevice.Reply afterNotNow = phone.device().notNow(phone.device().idle().command());

    asAdmin()
        .get("/api/v1/device-actions/" + lock)
        .then()
        .body("state", equalTo("pending"))
        .body("notNowCount", equalTo(1));
    // The same connect goes on with the next command, not the one just put off.
    assertEquals(clear, afterNotNow.command().uuid());
    AppleDevice.Reply afterAck = phone.device().acknowledged(afterNotNow.command());
    assertEquals(lock, afterAck.command().uuid());
    assertEquals("active", state(lock));
  }

  @Test
  void aCommandSentButNeverAnsweredIsSentAgainAtTheNextIdle() {
    Enrolled phone = AppleDevices.iPhone();
    String actionId = lock(phone.id(), Map.of());

    AppleDevice.Command lost = phone.device().idle().command();
    AppleDevice.Command again = phone.device().idle().command();

    assertEquals(actionId, lost.uuid());
    assertEquals(actionId, again.uuid());
    phone.device().acknowledged(again);
    assertEquals("done", state(actionId));
    assertNull(phone.device().idle().command());
  }

  @Test
  void commandsGoOneAtATimeOldestFirst() {
    Enrolled pad = AppleDevices.enrolled(AppleDevice.Model.iPad, Map.of("supervised", true), true);
    Api.EnrolledDevice record = pad.record();
    String first = Api.request(record, "rebootNow");
    String second = Api.request(record, "remoteLock");

    AppleDevice.Reply reply = pad.device().idle();
    assertEquals(first, reply.command().uuid());
    assertEquals("pending", state(second));
    reply = pad.device().acknowledged(reply.command());
    assertEquals(second, reply.command().uuid());
    assertNull(pad.device().acknowledged(reply.command()).command());
  }

  @Test
  void anMdmDevicesCommandsNeverGoToTheAgentApi() {
    Enrolled phone = AppleDevices.iPhone();
    String actionId = lock(phone.id(), Map.of());

    // The record still has its agent token from enrollment; the agent API hands it nothing.
    Api.asDevice(phone.record())
        .post("/agent/v1/checkin")
        .then()
        .statusCode(200)
        .body("commands.size()", equalTo(0));
    assertEquals("pending", state(actionId));
    assertEquals(actionId, phone.device().idle().command().uuid());
  }

  @Test
  void inventoryCommandsAreNotRemoteActions() {
    Enrolled phone = AppleDevices.iPhone();
    asAdmin()
        .get("/api/v1/device-actions?deviceId=" + phone.id())
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0));
  }

  @Test
  void aBulkLockReachesEachMacWithItsOwnPin() {
    Enrolled first = AppleDevices.mac();
    Enrolled second = AppleDevices.mac();

    asAdmin()
        .contentType(ContentType.JSON)
        .body(Map.of("action", "remoteLock", "deviceIds", List.of(first.id(), second.id())))
        .post("/api/v1/device-actions/bulk")
        .then()
        .statusCode(200)
        .body("successfulDeviceIds.size()", equalTo(2));

    for (Enrolled mac : List.of(first, second)) {
      AppleDevice.Command command = mac.device().idle().command();
      assertEquals("DeviceLock", command.requestType());
      assertEquals(secret(mac.id(), "recoveryPin.value"), command.string("PIN"));
    }
  }

  @Test
  void anIdempotentRepeatSendsOneCommand() {
    Enrolled phone = AppleDevices.iPhone();
    String[] ids = new String[2];
    for (int i = 0; i < 2; i++) {
      ids[i] =
          asAdmin()
              .header("Idempotency-Key", "lock-" + phone.id())
              .post("/api/v1/devices/" + phone.id() + "/remoteLock")
              .then()
              .statusCode(202)
              .extract()
              .path("id");
    }
    assertEquals(ids[0], ids[1]);
    assertEquals(ids[0], phone.device().drain().getFirst().uuid());
    assertNull(phone.device().idle().command());
  }

  static String lock(String deviceId, Map<String, Object> body) {
    return asAdmin()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/devices/" + deviceId + "/remoteLock")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  static void refusedLock(String deviceId, int status, String code) {
    asAdmin()
        .post("/api/v1/devices/" + deviceId + "/remoteLock")
        .then()
        .statusCode(status)
        .body("code", equalTo(code));
  }

  static String state(String actionId) {
    return asAdmin().get("/api/v1/device-actions/" + actionId).then().extract().path("state");
  }

  static String secret(String deviceId, String path) {
    return Api.secret(new Api.EnrolledDevice(deviceId, null), path);
  }
}
