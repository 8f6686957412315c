package dev.deviceactions.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which sinks the app accepts: K_SINK and device-actions.events.sinks, http and https only. */
class EventSinksTest {

  @Test
  void kSinkComesFirstAndTheSameUrlTwiceIsOneSink() {
    List<URI> sinks =
        EventSinks.parse(
            Optional.of("http://broker-ingress.knative-eventing.svc/ns/default"),
            List.of(
                " https://hooks.example.com/a ",
                "http://broker-ingress.knative-eventing.svc/ns/default",
                ""));
    assertEquals(
        List.of(
            URI.create("http://broker-ingress.knative-eventing.svc/ns/default"),
            URI.create("https://hooks.example.com/a")),
        sinks);
  }

  @Test
  void noSinkIsAllowed() {
    assertTrue(EventSinks.parse(Optional.empty(), List.of()).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://files.example.com/events",
        "file:///etc/passwd",
        "hooks.example.com/events",
        "http:///no-host",
        "http://exa mple.com/",
        "javascript:alert(1)"
      })
  void anythingButAnHttpOrHttpsUrlStopsTheStart(String url) {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> EventSinks.parse(Optional.empty(), List.of(url)));
    assertFalse(refused.getMessage().contains("example.com"), "the URL is not echoed");
    assertThrows(
        IllegalArgumentException.class, () -> EventSinks.parse(Optional.of(url), List.of()));
  }
}
