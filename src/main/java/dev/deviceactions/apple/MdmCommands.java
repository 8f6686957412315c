package dev.deviceactions.apple;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSString;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.action.DeviceAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The MDM commands this service sends, as the property lists Apple's protocol defines: the remote
 * actions (api.md's table: DeviceLock, ClearPasscode, RestartDevice) and the inventory queries.
 */
final class MdmCommands {
  static final String DEVICE_INFORMATION = "DeviceInformation";
  static final String SECURITY_INFO = "SecurityInfo";

  /** What DeviceInformation asks: the facts the support matrix reads. */
  static final String[] QUERIES = {"OSVersion", "ProductName", "Model", "IsSupervised"};

  private MdmCommands() {}

  /**
   * The command for a remote action; {@code pin} is the Mac's recovery PIN (null elsewhere), {@code
   * unlockToken} the device's UnlockToken for ClearPasscode.
   */
  static byte[] forAction(DeviceAction action, String pin, byte[] unlockToken) {
    NSDictionary command = new NSDictionary();
    switch (action.action) {
      case remoteLock -> {
        command.put("RequestType", "DeviceLock");
        putIfSet(command, "PIN", pin);
        putIfSet(command, "Message", action.message);
        putIfSet(command, "PhoneNumber", action.phoneNumber);
      }
      case resetPasscode, removePasscode -> {
        command.put("RequestType", "ClearPasscode");
        if (unlockToken != null) {
          command.put("UnlockToken", new NSData(unlockToken));
        }
      }
      case rebootNow -> command.put("RequestType", "RestartDevice");
      case resetPin -> throw new IllegalStateException("no MDM command for " + ActionType.resetPin);
    }
    return envelope(action.id, command);
  }

  static byte[] forInventory(MdmCommand queued) {
    NSDictionary command = new NSDictionary();
    command.put("RequestType", queued.requestType);
    if (DEVICE_INFORMATION.equals(queued.requestType)) {
      NSArray queries = new NSArray(QUERIES.length);
      for (int i = 0; i < QUERIES.length; i++) {
        queries.setValue(i, new NSString(QUERIES[i]));
      }
      command.put("Queries", queries);
    }
    return envelope(queued.id, command);
  }

  private static byte[] envelope(UUID commandUuid, NSDictionary command) {
    NSDictionary envelope = new NSDictionary();
    envelope.put("CommandUUID", commandUuid.toString());
    envelope.put("Command", command);
    return envelope.toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
  }

  private static void putIfSet(NSDictionary dictionary, String key, String value) {
    if (value != null) {
      dictionary.put(key, value);
    }
  }
}
