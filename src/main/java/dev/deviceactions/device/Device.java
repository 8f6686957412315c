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
    return d;
  }

  public OsVersion version() {
    return OsVersion.parse(osVersion);
  }
}
