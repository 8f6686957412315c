package dev.deviceactions.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deviceactions.device.Device;
import dev.deviceactions.device.ManagementChannel;
import dev.deviceactions.device.ManagementMode;
import dev.deviceactions.device.Platform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every cell of support-matrix.md, with its version boundaries and reasons. Columns: action,
 * platform, managementMode, osVersion, supervised, passcodeSet, azureAdJoined, expected ("ok" or
 * the refusal reason).
 */
class SupportMatrixTest {

  @ParameterizedTest(name = "{0} on {1}/{2} {3} sup={4} pass={5} aad={6} -> {7}")
  @CsvSource(
      nullValues = "-",
      value = {
        // remoteLock: every platform needs a passcode; desktop Windows is not supported.
        "remoteLock, android, deviceAdministrator, 6.0, false, true, false, ok",
        "remoteLock, android, dedicated, 12, false, true, false, ok",
        "remoteLock, android, fullyManaged, 12, false, true, false, ok",
        "remoteLock, android, workProfileCorporate, 12, false, true, false, ok",
        "remoteLock, android, workProfilePersonal, 12, false, true, false, ok",
        "remoteLock, android, fullyManaged, 12, false, false, false, noPasscode",
        "remoteLock, iOS, -, 17.4, false, true, false, ok",
        "remoteLock, iOS, -, 17.4, false, false, false, noPasscode",
        "remoteLock, iPadOS, -, 17.4, false, true, false, ok",
        "remoteLock, macOS, -, 14.2, false, true, false, ok",
        "remoteLock, macOS, -, 14.2, false, false, false, noPasscode",
        "remoteLock, windowsPhone, -, 8.1, false, true, false, ok",
        "remoteLock, windowsPhone, -, 8.0, false, true, false, osVersion",
        "remoteLock, windowsPhone, -, 10.0.15063, false, true, false, ok",
        "remoteLock, windows, -, 10.0, false, true, false, platform",
        "remoteLock, windows, -, 10.0, false, false, false, platform",
        // resetPasscode
        "resetPasscode, windows, -, 10.0, false, true, false, platform",
        "resetPasscode, windowsPhone, -, 8.1, false, true, false, ok",
        "resetPasscode, windowsPhone, -, 8.0, false, true, false, osVersion",
        "resetPasscode, windowsPhone, -, 8.1, false, true, true, azureAdJoined",
        "resetPasscode, windowsPhone, -, 10.0.14393, false, true, true, azureAdJoined",
        "resetPasscode, windowsPhone, -, 10.0.14393, false, true, false, ok",
        "resetPasscode, windowsPhone, -, 10.0.15063, false, true, true, ok",
        "resetPasscode, iOS, -, 17.4, false, false, false, ok",
        "resetPasscode, iPadOS, -, 17.4, false, false, false, ok",
        "resetPasscode, macOS, -, 14.2, false, true, false, platform",
        "resetPasscode, android, deviceAdministrator, 6.0, false, true, false, ok",
        "resetPasscode, android, deviceAdministrator, 6.9.9, false, true, false, ok",
        "resetPasscode, android, deviceAdministrator, 7, false, true, false, osVersion",
        "resetPasscode, android, deviceAdministrator, 7.0, false, true, false, osVersion",
        "resetPasscode, android, dedicated, 6.0, false, true, false, managementMode",
        "resetPasscode, android, fullyManaged, 6.0, false, true, false, managementMode",
        "resetPasscode, android, workProfileCorporate, 6.0, false, true, false, managementMode",
        "resetPasscode, android, workProfilePersonal, 6.0, false, true, false, managementMode",
        // removePasscode
        "removePasscode, iOS, -, 17.4, false, true, false, ok",
        "removePasscode, iPadOS, -, 17.4, false, true, false, ok",
        "removePasscode, android, deviceAdministrator, 6.0, false, true, false, ok",
        "removePasscode, android, deviceAdministrator, 7.0, false, true, false, osVersion",
        "removePasscode, android, fullyManaged, 6.0, false, true, false, managementMode",
        "removePasscode, android, dedicated, 6.0, false, true, false, managementMode",
        "removePasscode, android, workProfileCorporate, 6.0, false, true, false, managementMode",
        "removePasscode, android, workProfilePersonal, 6.0, false, true, false, managementMode",
        "removePasscode, macOS, -, 14.2, false, true, false, platform",
        "removePasscode, windows, -, 10.0, false, true, false, platform",
        "removePasscode, windowsPhone, -, 10.0.15063, false, true, false, platform",
        // resetPin: Windows 10 Mobile only
        "resetPin, windowsPhone, -, 10.0, false, true, false, ok",
        "resetPin, windowsPhone, -, 10.0.15063, false, true, true, ok",
        "resetPin, windowsPhone, -, 8.1, false, true, false, osVersion",
        "resetPin, windows, -, 10.0, false, true, false, platform",
        "resetPin, iOS, -, 17.4, false, true, false, platform",
        "resetPin, iPadOS, -, 17.4, false, true, false, platform",
        "resetPin, macOS, -, 14.2, false, true, false, platform",
        "resetPin, android, deviceAdministrator, 6.0, false, true, false, platform",
        // rebootNow
        "rebootNow, windows, -, 6.3, false, false, false, ok",
        "rebootNow, windows, -, 6.2, false, false, false, osVersion",
        "rebootNow, windows, -, 10.0, false, false, false, ok",
        "rebootNow, android, dedicated, 7.0, false, false, false, ok",
        "rebootNow, android, dedicated, 6.0, false, false, false, osVersion",
        "rebootNow, android, fullyManaged, 6.0, false, false, false, ok",
        "rebootNow, android, fullyManaged, 5.1, false, false, false, osVersion",
        "rebootNow, android, workProfileCorporate, 8.0, false, false, false, ok",
        "rebootNow, android, workProfileCorporate, 7.1.2, false, false, false, osVersion",
        "rebootNow, android, deviceAdministrator, 12, false, false, false, managementMode",
        "rebootNow, android, workProfilePersonal, 12, false, false, false, managementMode",
        "rebootNow, iOS, -, 17.4, true, false, false, ok",
        "rebootNow, iOS, -, 17.4, false, false, false, notSupervised",
        "rebootNow, iPadOS, -, 17.4, true, false, false, ok",
        "rebootNow, iPadOS, -, 17.4, false, false, false, notSupervised",
        "rebootNow, macOS, -, 14.2, true, true, false, platform",
        "rebootNow, windowsPhone, -, 10.0.15063, false, true, false, platform",
        // What the device is comes before what state it is in.
        "resetPasscode, android, fullyManaged, 7.0, false, false, false, managementMode",
        "rebootNow, android, deviceAdministrator, 5.0, false, false, false, managementMode",
        "resetPasscode, windowsPhone, -, 8.0, false, false, true, osVersion",
      })
  void cell(
      ActionType action,
      Platform platform,
      ManagementMode mode,
      String osVersion,
      boolean supervised,
      boolean passcodeSet,
      boolean azureAdJoined,
      String expected) {
    Device device = new Device();
    device.platform = platform;
    device.managementMode = mode;
    device.osVersion = osVersion;
    device.supervised = supervised;
    device.passcodeSet = passcodeSet;
    device.azureAdJoined = azureAdJoined;

    String actual = SupportMatrix.check(action, device).map(Refusal::name).orElse("ok");

    assertEquals(expected, actual);
  }

  /**
   * Apple devices over Apple MDM: both passcode actions are ClearPasscode, which needs the device's
   * UnlockToken (reason noUnlockToken, reported last); the other cells are those of the agent.
   * Columns: action, platform, channel, supervised, passcodeSet, unlockTokenSet, expected.
   */
  @ParameterizedTest(name = "{0} on {1} over {2} sup={3} pass={4} unlock={5} -> {6}")
  @CsvSource({
    "resetPasscode, iOS, appleMdm, false, true, true, ok",
    "resetPasscode, iOS, appleMdm, false, true, false, noUnlockToken",
    "resetPasscode, iPadOS, appleMdm, false, true, false, noUnlockToken",
    "resetPasscode, iOS, agent, false, true, false, ok",
    "resetPasscode, macOS, appleMdm, false, true, false, platform",
    "removePasscode, iOS, appleMdm, false, true, true, ok",
    "removePasscode, iOS, appleMdm, false, true, false, noUnlockToken",
    "removePasscode, iPadOS, appleMdm, false, false, true, ok",
    "removePasscode, iPadOS, appleMdm, false, true, false, noUnlockToken",
    "removePasscode, iPadOS, agent, false, true, false, ok",
    "removePasscode, macOS, appleMdm, false, true, true, platform",
    "remoteLock, macOS, appleMdm, false, true, false, ok",
    "remoteLock, macOS, appleMdm, false, false, true, noPasscode",
    "remoteLock, iOS, appleMdm, false, true, false, ok",
    "rebootNow, iOS, appleMdm, true, false, false, ok",
    "rebootNow, iPadOS, appleMdm, false, false, true, notSupervised",
    "rebootNow, macOS, appleMdm, true, true, true, platform",
  })
  void appleMdmCell(
      ActionType action,
      Platform platform,
      ManagementChannel channel,
      boolean supervised,
      boolean passcodeSet,
      boolean unlockTokenSet,
      String expected) {
    Device device = new Device();
    device.platform = platform;
    device.osVersion = "17.4";
    device.managementChannel = channel;
    device.supervised = supervised;
    device.passcodeSet = passcodeSet;
    device.appleUnlockTokenSet = unlockTokenSet;

    String actual = SupportMatrix.check(action, device).map(Refusal::name).orElse("ok");

    assertEquals(expected, actual);
  }
}
