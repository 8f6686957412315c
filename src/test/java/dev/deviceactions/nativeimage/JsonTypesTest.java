package dev.deviceactions.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deviceactions.action.ActionType;
import dev.deviceactions.common.Problem;
import dev.deviceactions.common.ProblemMapper;
import dev.deviceactions.device.Device;
import dev.deviceactions.device.DeviceView;
import dev.deviceactions.device.EnrollDeviceRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Native readiness in every build: a type that the app reads or writes as JSON where Quarkus does
 * not look (a {@code Response} entity, a value given to an ObjectMapper) must be registered for
 * reflection by hand, or the native binary writes it as {@code {}}. The types are derived from the
 * compiled classes ({@link JsonTypes}); NativeSourcesTest checks all of them against what the
 * native build steps wrote.
 */
class JsonTypesTest {
  static final List<Class<?>> APP = AppClasses.all();

  @Test
  void everyJsonTypeQuarkusCannotSeeIsRegisteredByHand() {
    JsonTypes types = JsonTypes.of(APP);
    Set<Class<?>> registered = HandRegistered.in(APP);
    Map<Class<?>, String> missing =
        types.reasons.entrySet().stream()
            .filter(e -> !types.seenByQuarkus.containsKey(e.getKey()))
            .filter(e -> !registered.contains(e.getKey()))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(
        Map.of(),
        missing,
        "annotate these with @io.quarkus.runtime.annotations.RegisterForReflection");
  }

  @Test
  void problemBodiesAreFoundWhereTheyAreWrittenAndTheViewsWhereQuarkusSeesThem() {
    JsonTypes types = JsonTypes.of(APP);
    assertEquals(
        "written as JSON by common.ProblemMapper.respond",
        JsonTypes.of(List.of(ProblemMapper.class)).reasons.get(Problem.class));
    assertEquals("a property of common.Problem", types.reasons.get(Problem.FieldError.class));
    assertFalse(types.seenByQuarkus.containsKey(Problem.class));
    assertTrue(types.reasons.get(DeviceView.class).startsWith("used by resource method"));
    assertTrue(types.reasons.get(EnrollDeviceRequest.class).startsWith("used by resource method"));
    assertEquals("a JPA entity", types.reasons.get(Device.class));
    assertTrue(types.seenByQuarkus.containsKey(ActionType.class));
  }

  @Test
  void valuesGivenToAnObjectMapperOrAResponseAndClassLiteralsReadAreFound() {
    List<Class<?>> fixtures = new ArrayList<>(List.of(Fixtures.class.getDeclaredClasses()));
    fixtures.add(Fixtures.class);
    JsonTypes types = JsonTypes.of(fixtures);
    assertEquals(
        Set.of(
            Fixtures.Event.class,
            Fixtures.Payload.class,
            Fixtures.Entity.class,
            Fixtures.Incoming.class,
            Fixtures.Annotated.class),
        types.reasons.keySet());
    assertEquals(
        "written as JSON by nativeimage.JsonTypesTest$Fixtures.write",
        types.reasons.get(Fixtures.Event.class));
    assertEquals(
        "a property of nativeimage.JsonTypesTest$Fixtures$Event",
        types.reasons.get(Fixtures.Payload.class));
    assertEquals(
        "read as JSON by nativeimage.JsonTypesTest$Fixtures.read",
        types.reasons.get(Fixtures.Incoming.class));
    assertEquals(Map.of(), types.seenByQuarkus);
  }

  @Test
  void handRegistrationCountsTheAnnotatedTypeAndItsTargets() {
    assertEquals(
        Set.of(Fixtures.Event.class, Fixtures.Payload.class),
        HandRegistered.in(List.of(Fixtures.Event.class, Fixtures.Registrar.class)));
  }

  /** Code shaped like an event publisher and an HTTP route: what the derivation must see. */
  static class Fixtures {
    @RegisterForReflection
    record Event(String type, List<Payload> data) {}

    record Payload(int value) {}

    record Entity(String id) {}

    record Incoming(String name) {}

    record Unrelated(String notJson) {}

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    static class Annotated {}

    @RegisterForReflection(targets = Payload.class)
    static class Registrar {}

    byte[] write(ObjectMapper json, Unrelated ignored) throws Exception {
      return json.writeValueAsBytes(new Event("t", List.of()));
    }

    Response respond(Entity entity) {
      return Response.ok().entity(entity).build();
    }

    Incoming read(ObjectMapper json, String body) throws Exception {
      return json.readValue(body, Incoming.class);
    }
  }
}
