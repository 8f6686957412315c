package dev.deviceactions.apple;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The protocol's own state of an Apple device (table apple_device): its enrollment challenge, the
 * certificate its UDID is bound to, and what its TokenUpdate sent. Only this package reads it.
 */
@Entity
@Table(name = "apple_device")
public class MdmEnrollment {
  @Id public UUID deviceId;

  /** SHA-256 of the newest profile's SCEP challenge; null once a certificate spent it. */
  public byte[] challengeHash;

  public Instant challengeExpiresAt;

  /** SHA-256 of the identity certificate bound at Authenticate. */
  public byte[] certHash;

  public String productName;
  public String model;
  public String topic;
  public byte[] pushToken;
  public String pushMagic;
  public Instant pushInvalidAt;

  /** The UnlockToken, encrypted like PINs. */
  public byte[] unlockToken;

  public Instant checkedOutAt;
}
