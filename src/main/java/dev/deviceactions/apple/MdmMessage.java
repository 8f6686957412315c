package dev.deviceactions.apple;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import dev.deviceactions.common.ProblemException;
import java.util.ArrayList;
import java.util.List;

/**
 * A property list a device sent (a check-in message or a connect's status), read with dd-plist. A
 * body that is not a plist dictionary is a 400 problem; a key of the wrong type reads as absent.
 */
record MdmMessage(NSDictionary plist) {

  static MdmMessage parse(byte[] body) {
    NSObject parsed;
    try {
      parsed = body.length == 0 ? null : PropertyListParser.parse(body);
    } catch (Exception | StackOverflowError notAPlist) {
      parsed = null;
    }
    if (!(parsed instanceof NSDictionary dictionary)) {
      throw ProblemException.invalid("body", "must be a property list dictionary");
    }
    return new MdmMessage(dictionary);
  }

  /** The string at {@code key}; a 400 problem naming it when it is absent or empty. */
  String required(String key) {
    String value = string(key);
    if (value == null || value.isBlank()) {
      throw ProblemException.invalid(key, "is required");
    }
    return value;
  }

  String string(String key) {
    return plist.get(key) instanceof NSString s ? s.getContent() : null;
  }

  byte[] data(String key) {
    return plist.get(key) instanceof NSData d ? d.bytes() : null;
  }

  Boolean bool(String key) {
    return plist.get(key) instanceof NSNumber n && n.type() == NSNumber.BOOLEAN
        ? n.boolValue()
        : null;
  }

  MdmMessage dictionary(String key) {
    return plist.get(key) instanceof NSDictionary d ? new MdmMessage(d) : null;
  }

  /** The dictionaries of the array at {@code key} (an ErrorChain), others skipped. */
  List<MdmMessage> dictionaries(String key) {
    List<MdmMessage> items = new ArrayList<>();
    if (plist.get(key) instanceof NSArray array) {
      for (NSObject item : array.getArray()) {
        if (item instanceof NSDictionary d) {
          items.add(new MdmMessage(d));
        }
      }
    }
    return items;
  }

  /** An integer that the device may send as a number or as text (ErrorCode). */
  String number(String key) {
    NSObject value = plist.get(key);
    if (value instanceof NSNumber n) {
      return n.isInteger() ? Long.toString(n.longValue()) : n.toString();
    }
    return value instanceof NSString s ? s.getContent() : null;
  }
}
