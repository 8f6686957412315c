package dev.deviceactions.events;

import dev.deviceactions.common.DeviceActionsConfig;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * POSTs one CloudEvent to one sink in HTTP binary content mode (the SDK writes the ce-* headers and
 * the data as the body), signed with Standard Webhooks when a secret is set, and says what the
 * answer means: 2xx delivered; 5xx, 408, 429, timeouts and connection errors worth a retry; any
 * other answer a refusal.
 */
@ApplicationScoped
public class EventSender {
  /** The answer of one sink to one attempt; {@code error} is null when delivered. */
  record Attempt(String sink, boolean delivered, boolean retryable, String error) {}

  private final WebClient client;
  private final WebhookSignature signature;
  private final long requestTimeoutMillis;

  public EventSender(Vertx vertx, DeviceActionsConfig config) {
    DeviceActionsConfig.Events events = config.events();
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) events.connectTimeout().toMillis())
                .setMaxPoolSize(events.connections())
                .setKeepAlive(true)
                .setFollowRedirects(false)
                .setUserAgent("device-actions"));
    this.signature = events.signingSecret().map(WebhookSignature::new).orElse(null);
    this.requestTimeoutMillis = events.requestTimeout().toMillis();
  }

  Uni<Attempt> send(URI sink, CloudEvent event) {
    String target = sink.toString();
    HttpRequest<Buffer> request = client.postAbs(target).timeout(requestTimeoutMillis);
    if (signature != null) {
      sign(request, event);
    }
    return Uni.createFrom()
        .completionStage(
            () -> VertxMessageFactory.createWriter(request).writeBinary(event).toCompletionStage())
        .map(response -> answered(target, response.statusCode()))
        .onFailure()
        .recoverWithItem(e -> new Attempt(target, false, true, describe(e)));
  }

  private void sign(HttpRequest<Buffer> request, CloudEvent event) {
    long timestamp = System.currentTimeMillis() / 1000;
    byte[] body = event.getData() == null ? new byte[0] : event.getData().toBytes();
    request
        .putHeader("webhook-id", event.getId())
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", signature.sign(event.getId(), timestamp, body));
  }

  static Attempt answered(String sink, int status) {
    if (status >= 200 && status < 300) {
      return new Attempt(sink, true, false, null);
    }
    boolean retryable = status >= 500 || status == 408 || status == 429;
    return new Attempt(sink, false, retryable, "HTTP " + status);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    String text = e.getClass().getSimpleName() + message;
    return text.length() > 300 ? text.substring(0, 300) : text;
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
