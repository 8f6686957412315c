package dev.deviceactions.device;

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

  public OsVersion version() {
    return OsVersion.parse(osVersion);
  }
}
