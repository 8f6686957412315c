package dev.deviceactions.apple.sim;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A Mac, iPhone or iPad as Apple's MDM client drives a server: it opens an enrollment profile, gets
 * its identity by SCEP (or is handed one), sends Authenticate and TokenUpdate to the check-in URL,
 * and connects to the server URL to fetch and answer commands, signing each body with its identity
 * in {@code Mdm-Signature} (CMS SignedData, detached, SHA-1 with RSA, the signer certificate
 * embedded, as the real client does). Connects carry no Content-Type, as the real client's do.
 * Plain JDK HTTP, so benchmarks can drive thousands of them.
 */
public final class AppleDevice {
  static final String CHECKIN_TYPE = "application/x-apple-aspen-mdm-checkin";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** What kind of Apple device it plays, with what it reports of itself. */
  public enum Model {
    mac("Mac14,2", "MacBookAir10,1", "14.2"),
    iPhone("iPhone15,2", "D73AP", "17.4"),
    iPad("iPad13,4", "J517AP", "17.4");

    final String productName;
    final String model;
    final String osVersion;

    Model(String productName, String model, String osVersion) {
      this.productName = productName;
      this.model = model;
      this.osVersion = osVersion;
    }
  }

  /** An enrollment profile as a device reads it. */
  public record Profile(
      URI scepUrl, String challenge, URI serverUrl, URI checkInUrl, String topic) {

    public static Profile parse(byte[] mobileconfig) {
      NSDictionary profile = dictionary(mobileconfig);
      String challenge = null;
      URI scep = null;
      URI server = null;
      URI checkIn = null;
      String topic = null;
      for (NSObject item : ((NSArray) profile.get("PayloadContent")).getArray()) {
        NSDictionary payload = (NSDictionary) item;
        String type = payload.get("PayloadType").toJavaObject().toString();
        if ("com.apple.security.scep".equals(type)) {
          NSDictionary content = (NSDictionary) payload.get("PayloadContent");
          scep = URI.create(text(content, "URL"));
          challenge = text(content, "Challenge");
        } else if ("com.apple.mdm".equals(type)) {
          server = URI.create(text(payload, "ServerURL"));
          checkIn = URI.create(text(payload, "CheckInURL"));
          topic = text(payload, "Topic");
        }
      }
      return new Profile(scep, challenge, server, checkIn, topic);
    }
  }

  /** A command the server sent. */
  public record Command(String uuid, String requestType, NSDictionary command) {
    public String string(String key) {
      return command.get(key) == null ? null : command.get(key).toJavaObject().toString();
    }

    public byte[] data(String key) {
      return command.get(key) instanceof NSData d ? d.bytes() : null;
    }
  }

  /** The server's answer to one message. */
  public record Reply(int status, byte[] body, String contentType) {
    /** The command the answer carries, or null for an empty answer. */
    public Command command() {
      if (body.length == 0) {
        return null;
      }
      NSDictionary envelope = dictionary(body);
      NSDictionary command = (NSDictionary) envelope.get("Command");
      return new Command(text(envelope, "CommandUUID"), text(command, "RequestType"), command);
    }

    public String asText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  public final Model model;
  public final String udid;
  public String serialNumber;
  public String name;
  private final Profile profile;
  private Identity identity;
  private byte[] pushToken = randomBytes(32);
  private String pushMagic = UUID.randomUUID().toString().toUpperCase();
  private final byte[] unlockToken = randomBytes(64);
  private boolean passcodePresent = true;
  private boolean supervised = false;

  public AppleDevice(Model model, Profile profile, Identity identity) {
    this.model = model;
    this.profile = profile;
    this.identity = identity;
    this.udid = UUID.randomUUID().toString().toUpperCase();
    this.serialNumber = "C02" + HexFormat.of().formatHex(randomBytes(4)).toUpperCase();
    this.name = model + "-" + serialNumber;
  }

  public Identity identity() {
    return identity;
  }

  /** Signs later messages with another identity (a stolen or foreign certificate). */
  public void use(Identity other) {
    this.identity = other;
  }

  public byte[] pushToken() {
    return pushToken;
  }

  public String pushMagic() {
    return pushMagic;
  }

  public byte[] unlockToken() {
    return unlockToken;
  }

  /** Reports this name and serial number, as a device set up to match its record would. */
  public AppleDevice named(String deviceName, String serial) {
    this.name = deviceName;
    this.serialNumber = serial;
    return this;
  }

  public AppleDevice supervised(boolean value) {
    this.supervised = value;
    return this;
  }

  public AppleDevice passcodePresent(boolean value) {
    this.passcodePresent = value;
    return this;
  }

  // ---- check-in ----

  /** Authenticate with the four keys the independent client sends, and no more. */
  public Reply authenticate() {
    return checkin(
        message(
            "MessageType", "Authenticate",
            "UDID", udid,
            "Topic", profile.topic(),
            "SerialNumber", serialNumber,
            "DeviceName", name));
  }

  public Reply tokenUpdate(boolean withUnlockToken) {
    NSDictionary m = message("MessageType", "TokenUpdate", "UDID", udid, "Topic", profile.topic());
    m.put("Token", new NSData(pushToken));
    m.put("PushMagic", pushMagic);
    if (withUnlockToken) {
      m.put("UnlockToken", new NSData(unlockToken));
    }
    m.put("AwaitingConfiguration", false);
    return checkin(m);
  }

  /** A new push token and magic, as after a restore; sent with the next TokenUpdate. */
  public void renewPushToken() {
    pushToken = randomBytes(32);
    pushMagic = UUID.randomUUID().toString().toUpperCase();
  }

  public Reply checkOut() {
    return checkin(message("MessageType", "CheckOut", "UDID", udid, "Topic", profile.topic()));
  }

  public Reply checkin(NSDictionary message) {
    return put(profile.checkInUrl(), plist(message), CHECKIN_TYPE, sign(plist(message)));
  }

  // ---- connect ----

  public Reply idle() {
    return connect(message("UDID", udid, "Status", "Idle"));
  }

  public Reply acknowledged(Command c) {
    return connect(result(c, "Acknowledged"));
  }

  public Reply notNow(Command c) {
    return connect(result(c, "NotNow"));
  }

  public Reply commandFormatError(Command c) {
    return connect(result(c, "CommandFormatError"));
  }

  public Reply error(Command c, long code, String domain, String description) {
    NSDictionary m = result(c, "Error");
    NSDictionary error = new NSDictionary();
    error.put("ErrorCode", code);
    error.put("ErrorDomain", domain);
    error.put("LocalizedDescription", description);
    error.put("USEnglishDescription", description);
    m.put("ErrorChain", new NSArray(error));
    return connect(m);
  }

  /**
   * Answers a command as the real device would: inventory with what it knows (a Mac reports no
   * PasscodePresent, and DeviceInformation answers only some of the queried keys), the remote
   * actions acknowledged, anything it does not know with Error 12021 (MCMDMErrorDomain).
   */
  public Reply answer(Command c) {
    return switch (c.requestType()) {
      case "DeviceInformation" -> {
        NSDictionary m = result(c, "Acknowledged");
        NSDictionary answers = new NSDictionary();
        answers.put("OSVersion", model.osVersion);
        answers.put("ProductName", model.productName);
        if (model != Model.mac) {
          answers.put("IsSupervised", supervised);
        }
        m.put("QueryResponses", answers);
        yield connect(m);
      }
      case "SecurityInfo" -> {
        NSDictionary m = result(c, "Acknowledged");
        NSDictionary info = new NSDictionary();
        if (model != Model.mac) {
          info.put("PasscodePresent", passcodePresent);
        }
        info.put("HardwareEncryptionCaps", 3);
        m.put("SecurityInfo", info);
        yield connect(m);
      }
      case "DeviceLock", "ClearPasscode", "RestartDevice" -> acknowledged(c);
      default -> error(c, 12021, "MCMDMErrorDomain", "Unknown command");
    };
  }

  /** Connects until the server has nothing more, answering each command; returns them. */
  public List<Command> drain() {
    List<Command> answered = new ArrayList<>();
    Reply reply = idle();
    while (reply.status() == 200 && reply.command() != null) {
      Command c = reply.command();
      answered.add(c);
      reply = answer(c);
    }
    return answered;
  }

  public Reply connect(NSDictionary message) {
    byte[] body = plist(message);
    return put(profile.serverUrl(), body, null, sign(body));
  }

  private NSDictionary result(Command c, String status) {
    return message("UDID", udid, "Status", status, "CommandUUID", c.uuid());
  }

  // ---- the wire ----

  /** A PUT as the device sends it; a null content type sends none, a null signature no header. */
  public static Reply put(URI url, byte[] body, String contentType, String signature) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (signature != null) {
      request.header("Mdm-Signature", signature);
    }
    try {
      HttpResponse<byte[]> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Content-Type").orElse(null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The Mdm-Signature of {@code body}: base64 CMS SignedData, detached, SHA-1 with RSA. */
  public String sign(byte[] body) {
    try {
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .build(
                  new JcaContentSignerBuilder("SHA1withRSA").build(identity.key()),
                  identity.certificate()));
      generator.addCertificates(new JcaCertStore(List.of(identity.certificate())));
      byte[] signed = generator.generate(new CMSProcessableByteArray(body), false).getEncoded();
      return Base64.getEncoder().encodeToString(signed);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] plist(NSDictionary message) {
    return message.toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
  }

  /** A message of string keys and values, in pairs. */
  public static NSDictionary message(String... pairs) {
    NSDictionary m = new NSDictionary();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], new NSString(pairs[i + 1]));
    }
    return m;
  }

  static NSDictionary dictionary(byte[] plist) {
    try {
      return (NSDictionary) PropertyListParser.parse(plist);
    } catch (Exception e) {
      throw new IllegalStateException(
          "not a plist: " + new String(plist, StandardCharsets.UTF_8), e);
    }
  }

  static String text(NSDictionary d, String key) {
    Object value = d.get(key) == null ? null : d.get(key).toJavaObject();
    return value == null ? null : value.toString();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
