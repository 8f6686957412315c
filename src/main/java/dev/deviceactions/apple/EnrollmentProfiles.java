package dev.deviceactions.apple;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSString;
import dev.deviceactions.audit.AuditLog;
import dev.deviceactions.common.DeviceActionsConfig;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import dev.deviceactions.common.Times;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceRepository;
import dev.deviceactions.device.Platform;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Enrollment profiles: a SCEP payload with a one-time challenge bound to the device record, and the
 * MDM payload that names this service. Only the challenge's hash is stored; a newer profile voids
 * the older one's challenge.
 */
@ApplicationScoped
public class EnrollmentProfiles {
  static final String PROFILE_ISSUED = "appleEnrollmentProfileIssued";
  static final Set<Platform> APPLE = Set.of(Platform.macOS, Platform.iOS, Platform.iPadOS);

  /** All rights an MDM payload can grant (AccessRights): the remote actions need lock and query. */
  static final int ACCESS_RIGHTS = 8191;

  /** An enrollment profile: its file name and its XML property list. */
  public record Profile(String fileName, byte[] body) {}

  private final DeviceRepository devices;
  private final MdmEnrollmentRepository enrollments;
  private final AuditLog audit;
  private final DeviceCa ca;
  private final DeviceActionsConfig config;
  private final SecureRandom random = new SecureRandom();

  public EnrollmentProfiles(
      DeviceRepository devices,
      MdmEnrollmentRepository enrollments,
      AuditLog audit,
      DeviceCa ca,
      DeviceActionsConfig config) {
    this.devices = devices;
    this.enrollments = enrollments;
    this.audit = audit;
    this.ca = ca;
    this.config = config;
  }

  /** A new profile for the device, whose challenge replaces any earlier one. Audited. */
  @WithTransaction
  public Uni<Profile> issue(UUID deviceId, String actor) {
    AppleMdm.requireSet(missingSettings());
    String challenge = newChallenge();
    Instant expires = Times.now().plus(config.apple().enrollmentTtl());
    return devices
        .getEnrolled(deviceId)
        .invoke(EnrollmentProfiles::requireApple)
        .call(d -> storeChallenge(d.id, challenge, expires))
        .call(d -> audit.record(actor, PROFILE_ISSUED, d.id, null, AuditLog.OK, null))
        .map(d -> new Profile(fileName(d), profile(d, challenge)));
  }

  /** The keys a profile needs that are not set. */
  List<String> missingSettings() {
    List<String> missing = new ArrayList<>();
    if (config.publicUrl().isEmpty()) {
      missing.add("device-actions.public-url");
    }
    if (config.apple().pushTopic().isEmpty()) {
      missing.add("device-actions.apple.push-topic");
    }
    missing.addAll(ca.missing());
    return missing;
  }

  private static void requireApple(Device d) {
    if (!APPLE.contains(d.platform)) {
      throw new ProblemException(
          ProblemCode.enrollmentNotSupported,
          "Apple MDM enrolls macOS, iOS and iPadOS devices; this one is " + d.platform + ".");
    }
  }

  private Uni<MdmEnrollment> storeChallenge(UUID deviceId, String challenge, Instant expires) {
    return enrollments
        .findById(deviceId)
        .chain(
            found -> {
              MdmEnrollment e = found != null ? found : new MdmEnrollment();
              e.deviceId = deviceId;
              e.challengeHash = challengeHash(challenge);
              e.challengeExpiresAt = expires;
              return found != null ? Uni.createFrom().item(e) : enrollments.persist(e);
            });
  }

  private String newChallenge() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What apple_device.challenge_hash holds for a challenge: its SHA-256. */
  public static byte[] challengeHash(String challenge) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(challenge.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256", e);
    }
  }

  private byte[] profile(Device d, String challenge) {
    String base = config.publicUrl().orElseThrow().replaceAll("/+$", "");
    String id = "dev.deviceactions.enrollment." + d.id;
    UUID scepUuid = UUID.randomUUID();
    NSDictionary scep =
        payload("com.apple.security.scep", id + ".scep", scepUuid, "Device identity");
    NSDictionary scepContent = new NSDictionary();
    scepContent.put("URL", base + "/mdm/apple/scep");
    scepContent.put("Name", "device-actions");
    scepContent.put("Subject", subject(d));
    scepContent.put("Challenge", challenge);
    scepContent.put("Keysize", 2048);
    scepContent.put("Key Type", "RSA");
    // Signing (1) and encryption (4): the identity signs messages and SCEP encrypts to it.
    scepContent.put("Key Usage", 5);
    scep.put("PayloadContent", scepContent);

    NSDictionary mdm =
        payload("com.apple.mdm", id + ".mdm", UUID.randomUUID(), "Device management");
    mdm.put("ServerURL", base + "/mdm/apple/connect");
    mdm.put("CheckInURL", base + "/mdm/apple/checkin");
    mdm.put("Topic", config.apple().pushTopic().orElseThrow());
    mdm.put("IdentityCertificateUUID", scepUuid.toString().toUpperCase());
    mdm.put("SignMessage", true);
    mdm.put("AccessRights", ACCESS_RIGHTS);
    mdm.put("CheckOutWhenRemoved", true);

    NSDictionary profile =
        payload("Configuration", id, UUID.randomUUID(), "device-actions: " + d.name);
    profile.put("PayloadDescription", "Lets device-actions manage this device.");
    profile.put("PayloadOrganization", "device-actions");
    profile.put("PayloadContent", new NSArray(scep, mdm));
    return profile.toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
  }

  private static NSDictionary payload(String type, String identifier, UUID uuid, String name) {
    NSDictionary payload = new NSDictionary();
    payload.put("PayloadType", type);
    payload.put("PayloadVersion", 1);
    payload.put("PayloadIdentifier", identifier);
    payload.put("PayloadUUID", uuid.toString().toUpperCase());
    payload.put("PayloadDisplayName", name);
    return payload;
  }

  /** The certificate subject the device asks for: the record's id, which SCEP enforces. */
  private static NSArray subject(Device d) {
    return new NSArray(rdn("O", "device-actions"), rdn("CN", d.id.toString()));
  }

  private static NSArray rdn(String type, String value) {
    return new NSArray(new NSArray(new NSString(type), new NSString(value)));
  }

  private static String fileName(Device d) {
    String safe = d.name.replaceAll("[^\\p{Alnum} ._-]", "_").strip();
    return (safe.isEmpty() ? "device" : safe) + ".mobileconfig";
  }
}
