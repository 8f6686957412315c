package dev.deviceactions.device;

import dev.deviceactions.common.Columns;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import java.time.Instant;
import java.util.UUID;

/** A managed device: the facts the support matrix reads, and the hash of its agent token. */
@Entity
public class Device {
  @Id public UUID id;
  public String name;

  @Enumerated(EnumType.STRING)
  public Platform platform;

  public String osVersion;

  @Enumerated(EnumType.STRING)
  public ManagementMode managementMode;

  public boolean supervised;
  public boolean passcodeSet;
  public boolean azureAdJoined;
  public String serialNumber;
  public String owner;
  public byte[] tokenHash;
  public Instant enrolledAt;
  public Instant lastCheckInAt;
  public Instant deletedAt;
  public UUID outstandingPinActionId;
  public Instant outstandingPinIssuedAt;

  @Enumerated(EnumType.STRING)
  public ManagementChannel managementChannel = ManagementChannel.agent;

  /** Apple MDM: the UDID bound at Authenticate, and where the enrollment stands. */
  public String appleUdid;

  public boolean appleEnrolled;
  public Instant appleEnrolledAt;
  public Instant appleLastSeenAt;

  /** The device sent an UnlockToken, which ClearPasscode needs. */
  public boolean appleUnlockTokenSet;

  /** A push token APNs has not refused is on record. */
  public boolean applePushReady;

  /** A device as a statement (or PostgreSQL's JSON of its row) returned it; not its token hash. */
  public static Device from(Columns row) {
    Device d = new Device();
    d.id = row.uuid("id");
    d.name = row.string("name");
    d.platform = Platform.valueOf(row.string("platform"));
    d.osVersion = row.string("os_version");
    String mode = row.string("management_mode");
    d.managementMode = mode == null ? null : ManagementMode.valueOf(mode);
    d.supervised = row.bool("supervised");
    d.passcodeSet = row.bool("passcode_set");
    d.azureAdJoined = row.bool("azure_ad_joined");
    d.serialNumber = row.string("serial_number");
    d.owner = row.string("owner");
    d.enrolledAt = row.instant("enrolled_at");
    d.lastCheckInAt = row.instant("last_check_in_at");
    d.deletedAt = row.instant("deleted_at");
    d.outstandingPinActionId = row.uuid("outstanding_pin_action_id");
    d.outstandingPinIssuedAt = row.instant("outstanding_pin_issued_at");
    String channel = row.string("management_channel");
    d.managementChannel =
        channel == null ? ManagementChannel.agent : ManagementChannel.valueOf(channel);
    d.appleUdid = row.string("apple_udid");
    d.appleEnrolled = row.bool("apple_enrolled");
    d.appleEnrolledAt = row.instant("apple_enrolled_at");
    d.appleLastSeenAt = row.instant("apple_last_seen_at");
    d.appleUnlockTokenSet = row.bool("apple_unlock_token_set");
    d.applePushReady = row.bool("apple_push_ready");
    return d;
  }

  public boolean overAppleMdm() {
    return managementChannel == ManagementChannel.appleMdm;
  }

  public OsVersion version() {
    return OsVersion.parse(osVersion);
  }
}
