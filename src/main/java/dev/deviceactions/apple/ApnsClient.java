package dev.deviceactions.apple;

import dev.deviceactions.common.DeviceActionsConfig;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * One MDM notification to APNs per call, over HTTP/2 with the push certificate as the TLS client
 * identity: {@code POST {apns-url}/3/device/<token>}, body {@code {"mdm": "<PushMagic>"}}. The
 * client (one multiplexed connection, ALPN h2 only) is made at the first push, not at start.
 */
@ApplicationScoped
public class ApnsClient {
  /** What APNs answered: its status, and its JSON body's {@code reason} when it gave one. */
  record Answer(int status, String reason) {}

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** No answer this long after the request left: the attempt failed, and is retried. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  /** APNs asks providers to keep their connection open rather than reconnect per push. */
  static final Duration IDLE_CONNECTION = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final DeviceActionsConfig.Apple config;
  private final String devicePath;
  private volatile HttpClient client;

  public ApnsClient(Vertx vertx, DeviceActionsConfig config) {
    this.vertx = vertx;
    this.config = config.apple();
    this.devicePath = stripSlash(this.config.apnsUrl()) + "/3/device/";
    warnWhenHalfConfigured();
  }

  /** A push certificate, its key and the push topic are set: pushes go out. */
  public boolean configured() {
    return config.pushCert().isPresent()
        && config.pushKey().isPresent()
        && config.pushTopic().isPresent();
  }

  /**
   * Sends the push once; {@code written} runs when the request has left (its last frame written).
   * Fails when APNs could not be reached or did not answer in time, with {@link Unusable} when the
   * push certificate, its key or apns-url cannot be used.
   */
  Future<Answer> send(PushTarget target, Runnable written) {
    HttpClient http;
    RequestOptions request;
    try {
      http = client();
      request =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setAbsoluteURI(devicePath + target.tokenHex())
              .setIdleTimeout(ANSWER_TIMEOUT.toMillis())
              .putHeader("apns-topic", config.pushTopic().orElseThrow())
              .putHeader("apns-push-type", "mdm")
              .putHeader("apns-priority", "10");
    } catch (RuntimeException e) {
      return Future.failedFuture(new Unusable(e.getMessage(), e));
    }
    Buffer body = new JsonObject().put("mdm", target.pushMagic()).toBuffer();
    return http.request(request)
        .compose(
            r -> {
              r.end(body).onSuccess(v -> written.run());
              return r.response().compose(ApnsClient::answer);
            });
  }

  private static Future<Answer> answer(HttpClientResponse response) {
    return response.body().map(body -> new Answer(response.statusCode(), reason(body)));
  }

  /** APNs' error body is {@code {"reason": "...", "timestamp": ...}}; anything else, its text. */
  static String reason(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return new JsonObject(body).getString("reason");
    } catch (DecodeException | ClassCastException e) {
      String text = body.toString(StandardCharsets.UTF_8);
      return text.length() > 200 ? text.substring(0, 200) : text;
    }
  }

  private HttpClient client() {
    HttpClient made = client;
    if (made == null) {
      synchronized (this) {
        made = client;
        if (made == null) {
          made = vertx.createHttpClient(options(), new PoolOptions().setHttp2MaxSize(1));
          client = made;
          Log.infof("APNs client for %s (topic %s)", config.apnsUrl(), config.pushTopic().get());
        }
      }
    }
    return made;
  }

  /**
   * TLS with the push certificate as the client identity; only h2 is offered (APNs speaks nothing
   * else). With apns-ca, that CA is the only one trusted; else the JVM's trust store.
   */
  private HttpClientOptions options() {
    String cert = config.pushCert().orElseThrow();
    String key = config.pushKey().orElseThrow();
    // Read once with Bouncy Castle, so that a bad file is named here rather than failing every
    // TLS handshake with a less telling message.
    X509Certificate push = DeviceCa.readCertificate(Path.of(cert));
    DeviceCa.readKey(Path.of(key));
    String topic = config.pushTopic().orElseThrow();
    topicOf(push)
        .filter(uid -> !uid.equals(topic))
        .ifPresent(
            uid ->
                Log.warnf(
                    "device-actions.apple.push-topic is %s, but the push certificate's topic (the"
                        + " UID of its subject) is %s: APNs refuses such pushes"
                        + " (TopicDisallowed). Set the push topic to the certificate's.",
                    topic, uid));
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setSsl(true)
            .setUseAlpn(true)
            .setAlpnVersions(List.of(HttpVersion.HTTP_2))
            .setHttp2ClearTextUpgrade(false)
            .setVerifyHost(true)
            .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
            .setHttp2KeepAliveTimeout((int) IDLE_CONNECTION.toSeconds())
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key));
    config.apnsCa().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca)));
    return options;
  }

  /** The topic an MDM push certificate is for: the UID attribute of its subject, if it has one. */
  static Optional<String> topicOf(X509Certificate certificate) {
    RDN[] uids =
        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
            .getRDNs(BCStyle.UID);
    return uids.length == 0
        ? Optional.empty()
        : Optional.of(IETFUtils.valueToString(uids[0].getFirst().getValue()));
  }

  private void warnWhenHalfConfigured() {
    Optional<String> cert = config.pushCert();
    if (cert.isPresent() != config.pushKey().isPresent()) {
      Log.warn("APNs push off: set both device-actions.apple.push-cert and .push-key");
    } else if (cert.isPresent() && config.pushTopic().isEmpty()) {
      Log.warn("APNs push off: device-actions.apple.push-topic is not set");
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * The push certificate, its key or apns-url cannot be used: no push can go out until that is
   * fixed.
   */
  static final class Unusable extends RuntimeException {
    Unusable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @PreDestroy
  void close() {
    HttpClient made = client;
    if (made != null) {
      made.close();
    }
  }
}
