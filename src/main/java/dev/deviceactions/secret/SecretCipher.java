package dev.deviceactions.secret;

import dev.deviceactions.common.DeviceActionsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for PINs and passcodes at rest, a random 96-bit nonce per value. Built at start-up so
 * that a missing or malformed key stops the service before it accepts a single action.
 */
@Startup
@ApplicationScoped
public class SecretCipher {
  static final String KEY_PROPERTY = "device-actions.secrets.key";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  public SecretCipher(DeviceActionsConfig config) {
    this.key = parseKey(config.secrets().key().orElse(null));
  }

  static SecretKey parseKey(String base64) {
    byte[] bytes;
    try {
      bytes = base64 == null ? new byte[0] : Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    if (bytes.length != 32) {
      throw new IllegalStateException(
          KEY_PROPERTY
              + " (env DEVICE_ACTIONS_SECRETS_KEY) must be the base64 of 32 random bytes, e.g. the"
              + " output of 'openssl rand -base64 32'; PINs and passcodes are not stored without it");
    }
    return new SecretKeySpec(bytes, "AES");
  }

  public byte[] encrypt(String value) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, value.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
  }

  public String decrypt(byte[] stored) {
    byte[] nonce = java.util.Arrays.copyOfRange(stored, 0, NONCE_BYTES);
    byte[] sealed = java.util.Arrays.copyOfRange(stored, NONCE_BYTES, stored.length);
    return new String(run(Cipher.DECRYPT_MODE, nonce, sealed), StandardCharsets.UTF_8);
  }

  private byte[] run(int mode, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // The message of a crypto failure names no secret; the value itself is never logged.
      throw new IllegalStateException(
          "secret could not be " + (mode == Cipher.ENCRYPT_MODE ? "encrypted" : "decrypted"), e);
    }
  }
}
