package dev.deviceactions.secret;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import java.time.Instant;
import java.util.UUID;

/** The encrypted PIN or passcode an action produced; the value is gone once purged. */
@Entity
public class ActionSecret {
  @Id public UUID actionId;
  public UUID deviceId;

  @Enumerated(EnumType.STRING)
  public SecretKind kind;

  public byte[] ciphertext;
  public Instant issuedAt;
}
