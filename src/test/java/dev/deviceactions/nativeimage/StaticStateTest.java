package dev.deviceactions.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.io.FileDescriptor;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Quarkus initializes application classes while it builds the native image, so a static field's
 * value is frozen into the image heap: a random generator would repeat its seed in every process,
 * and a thread, executor, open stream, channel or socket cannot be there at all (the build fails).
 * No application class holds one, neither by the field's declared type nor by the value its
 * initializer leaves in it.
 */
class StaticStateTest {
  /** What must not be created at build time; AutoCloseable covers streams, channels, sockets. */
  static final List<Class<?>> FORBIDDEN =
      List.of(
          Random.class,
          SplittableRandom.class,
          Thread.class,
          ThreadGroup.class,
          Executor.class,
          Timer.class,
          AutoCloseable.class,
          FileDescriptor.class,
          Socket.class,
          ServerSocket.class,
          DatagramSocket.class,
          Vertx.class);

  @Test
  void noApplicationClassHoldsRandomnessThreadsOrOpenResourcesInAStaticField() {
    assertEquals(List.of(), violations(AppClasses.all()));
  }

  @Test
  void theOldStaticSecureRandomOfDeviceTokensIsCaught() {
    assertEquals(
        List.of(
            "nativeimage.StaticStateTest$OldDeviceTokens.RANDOM is a java.security.SecureRandom"),
        violations(List.of(OldDeviceTokens.class)));
  }

  @Test
  void aForbiddenValueBehindAHarmlessTypeOrInsideACollectionIsCaught() {
    assertEquals(
        List.of(
            "nativeimage.StaticStateTest$Hidden.POOL holds a java.util.concurrent.ThreadPoolExecutor",
            "nativeimage.StaticStateTest$Hidden.SOCKETS is a java.util.List<java.net.Socket>",
            "nativeimage.StaticStateTest$Hidden.WORKERS holds a java.lang.Thread"),
        violations(List.of(Hidden.class)));
  }

  static List<String> violations(List<Class<?>> classes) {
    List<String> found = new ArrayList<>();
    for (Class<?> type : classes) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
          check(type, field).ifPresent(found::add);
        }
      }
    }
    return found.stream().sorted().toList();
  }

  private static java.util.Optional<String> check(Class<?> type, Field field) {
    String where = JsonTypes.name(type) + "." + field.getName();
    if (forbidden(field.getGenericType())) {
      return java.util.Optional.of(where + " is a " + field.getGenericType().getTypeName());
    }
    Object value = valueAfterInitialization(field);
    for (Object held : held(value)) {
      if (held != null && FORBIDDEN.stream().anyMatch(f -> f.isInstance(held))) {
        return java.util.Optional.of(where + " holds a " + held.getClass().getName());
      }
    }
    return java.util.Optional.empty();
  }

  private static boolean forbidden(Type type) {
    if (type instanceof Class<?> c) {
      Class<?> element = c.isArray() ? c.getComponentType() : c;
      return FORBIDDEN.stream().anyMatch(f -> f.isAssignableFrom(element));
    }
    if (type instanceof ParameterizedType p) {
      return forbidden(p.getRawType())
          || java.util.Arrays.stream(p.getActualTypeArguments())
              .anyMatch(StaticStateTest::forbidden);
    }
    return false;
  }

  /** The field's value once its class is initialized, as the native build does; null if unset. */
  private static Object valueAfterInitialization(Field field) {
    try {
      Class.forName(
          field.getDeclaringClass().getName(), true, field.getDeclaringClass().getClassLoader());
      field.setAccessible(true);
      return field.get(null);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null; // a class that cannot initialize outside Quarkus: its declared types were
      // checked
    }
  }

  /** The value and, one level down, what an array, collection or map holds. */
  private static List<Object> held(Object value) {
    List<Object> held = new ArrayList<>();
    held.add(value);
    if (value instanceof Collection<?> c) {
      held.addAll(c);
    } else if (value instanceof Map<?, ?> m) {
      held.addAll(m.keySet());
      held.addAll(m.values());
    } else if (value != null
        && value.getClass().isArray()
        && !value.getClass().getComponentType().isPrimitive()) {
      for (int i = 0; i < Array.getLength(value); i++) {
        held.add(Array.get(value, i));
      }
    }
    return held;
  }

  /** DeviceTokens as it was before ab6d43b, when it broke the native build. */
  static class OldDeviceTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
  }

  static class Hidden {
    static final Object POOL = Executors.newFixedThreadPool(1);
    static final List<Socket> SOCKETS = List.of();
    static final Object[] WORKERS = {new Thread(() -> {})};
    static final String FINE = "not a resource";
  }
}
