package dev.deviceactions.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 of HMAC-SHA256(key, id.timestamp.body)>}. A
 * secret written {@code whsec_<base64>} (the form Standard Webhooks libraries generate and verify
 * with) signs with the decoded bytes; any other secret with its UTF-8 bytes.
 */
public final class WebhookSignature {
  private static final String PREFIX = "whsec_";
  private final SecretKeySpec key;

  public WebhookSignature(String secret) {
    byte[] bytes =
        secret.startsWith(PREFIX)
            ? Base64.getDecoder().decode(secret.substring(PREFIX.length()))
            : secret.getBytes(StandardCharsets.UTF_8);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  /** The value of the {@code webhook-signature} header. */
  public String sign(String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
