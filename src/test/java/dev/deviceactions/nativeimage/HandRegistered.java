package dev.deviceactions.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The types the code registers for reflection itself, with {@link RegisterForReflection}. */
final class HandRegistered {
  private HandRegistered() {}

  static Set<Class<?>> in(List<Class<?>> classes) {
    Set<Class<?>> registered = new LinkedHashSet<>();
    for (Class<?> type : classes) {
      RegisterForReflection registration = type.getAnnotation(RegisterForReflection.class);
      if (registration == null) {
        continue;
      }
      if (registration.targets().length == 0 && registration.classNames().length == 0) {
        registered.add(type);
        if (!registration.ignoreNested()) {
          registered.addAll(List.of(type.getDeclaredClasses()));
        }
      }
      registered.addAll(List.of(registration.targets()));
      for (String name : registration.classNames()) {
        registered.add(AppClasses.load(name));
      }
    }
    return registered;
  }
}
