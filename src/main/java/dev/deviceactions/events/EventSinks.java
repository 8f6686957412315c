package dev.deviceactions.events;

import dev.deviceactions.common.DeviceActionsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where events go: {@code K_SINK} (the Knative SinkBinding convention) and each URL of {@code
 * device-actions.events.sinks}. Only absolute http and https URLs are accepted: anything else stops
 * the start, so that a typo cannot silently drop the stream.
 */
@ApplicationScoped
public class EventSinks {
  private final List<URI> sinks;

  public EventSinks(
      DeviceActionsConfig config, @ConfigProperty(name = "K_SINK") Optional<String> kSink) {
    this.sinks = parse(kSink, config.events().sinks().orElse(List.of()));
  }

  public List<URI> all() {
    return sinks;
  }

  /** K_SINK first, then the configured list; the same URL twice is one sink. */
  static List<URI> parse(Optional<String> kSink, List<String> configured) {
    Set<URI> sinks = new LinkedHashSet<>();
    kSink.map(String::strip).filter(s -> !s.isEmpty()).map(EventSinks::sink).ifPresent(sinks::add);
    configured.stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(EventSinks::sink)
        .forEach(sinks::add);
    return List.copyOf(new ArrayList<>(sinks));
  }

  static URI sink(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refused(url, "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw refused(url, "is not an http or https URL");
    }
    if (uri.getHost() == null) {
      throw refused(url, "has no host");
    }
    return uri;
  }

  private static IllegalArgumentException refused(String url, String why) {
    // The URL is not echoed: it may carry credentials in its user info or query.
    return new IllegalArgumentException(
        "Event sink refused (K_SINK or device-actions.events.sinks): a sink of scheme '"
            + schemeOf(url)
            + "' "
            + why);
  }

  private static String schemeOf(String url) {
    int colon = url.indexOf(':');
    return colon < 0 ? "" : url.substring(0, Math.min(colon, 16));
  }
}
