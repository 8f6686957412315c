package dev.deviceactions.nativeimage;

import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.MappedSuperclass;
import jakarta.ws.rs.HttpMethod;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * Every application type that is read or written as JSON, derived from the compiled classes rather
 * than listed by hand, with the reason it was found:
 *
 * <ul>
 *   <li>the types of resource methods' parameters and results (inside {@code Uni}, {@code
 *       RestResponse}, {@code List}, {@code Page}...), and JPA entities: Quarkus sees these itself;
 *   <li>what the code hands to a JSON writer or reader: a {@code Response} or {@code RestResponse}
 *       entity, an {@code ObjectMapper}/{@code ObjectWriter} value, Vert.x {@code Json}/{@code
 *       JsonObject.mapFrom}, an SSE event's data, a class literal given to {@code readValue}. The
 *       static type of the value at the call is read from the bytecode (ASM's verifier);
 *   <li>types carrying a Jackson annotation, and the classes such an annotation names ({@code using
 *       = ...}, subtypes);
 *   <li>and, from each of these, the application types of its properties (record components,
 *       fields, getters), recursively.
 * </ul>
 */
final class JsonTypes {
  /** Call sites whose {@code Object} arguments are written as JSON, by owner. */
  static final Map<String, Set<String>> WRITERS =
      Map.of(
          "jakarta/ws/rs/core/Response", Set.of("ok", "accepted"),
          "jakarta/ws/rs/core/Response$ResponseBuilder", Set.of("entity"),
          "org/jboss/resteasy/reactive/RestResponse", Set.of("ok", "accepted", "status"),
          "org/jboss/resteasy/reactive/RestResponse$ResponseBuilder", Set.of("entity", "ok"),
          "com/fasterxml/jackson/databind/ObjectMapper",
              Set.of(
                  "writeValue",
                  "writeValueAsString",
                  "writeValueAsBytes",
                  "valueToTree",
                  "convertValue"),
          "com/fasterxml/jackson/databind/ObjectWriter",
              Set.of("writeValue", "writeValueAsString", "writeValueAsBytes"),
          "io/vertx/core/json/Json", Set.of("encode", "encodePrettily", "encodeToBuffer"),
          "io/vertx/core/json/JsonObject", Set.of("mapFrom"),
          "io/vertx/ext/web/RoutingContext", Set.of("json"),
          "jakarta/ws/rs/sse/OutboundSseEvent$Builder", Set.of("data"));

  /** Call sites that read JSON into a type given as a class literal, by owner. */
  static final Map<String, Set<String>> READERS =
      Map.of(
          "com/fasterxml/jackson/databind/ObjectMapper",
              Set.of("readValue", "readValues", "readerFor", "convertValue", "treeToValue"),
          "com/fasterxml/jackson/databind/ObjectReader", Set.of("forType", "readValue"),
          "io/vertx/core/json/Json", Set.of("decodeValue"),
          "io/vertx/core/json/JsonObject", Set.of("mapTo"));

  /** Each type found, with why; in the order found. */
  final Map<Class<?>, String> reasons = new LinkedHashMap<>();

  /** The subset Quarkus finds by itself: resource signatures, entities, their properties. */
  final Map<Class<?>, String> seenByQuarkus = new LinkedHashMap<>();

  private JsonTypes() {}

  static JsonTypes of(List<Class<?>> classes) {
    JsonTypes found = new JsonTypes();
    for (Class<?> type : classes) {
      found.resourceSignatures(type);
      if (isEntity(type)) {
        found.add(type, "a JPA entity");
      }
    }
    found.closeOverProperties();
    found.seenByQuarkus.putAll(found.reasons);
    for (Class<?> type : classes) {
      found.jacksonAnnotations(type);
      found.jsonCalls(type);
    }
    found.closeOverProperties();
    return found;
  }

  private void resourceSignatures(Class<?> type) {
    for (Method method : type.getDeclaredMethods()) {
      if (Stream.of(method.getAnnotations())
          .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class))) {
        String where = "used by resource method " + name(type) + "." + method.getName();
        appTypes(method.getGenericReturnType()).forEach(t -> add(t, where));
        for (Type parameter : method.getGenericParameterTypes()) {
          appTypes(parameter).forEach(t -> add(t, where));
        }
      }
    }
  }

  private void jacksonAnnotations(Class<?> type) {
    List<AnnotatedElement> elements = new ArrayList<>(List.of(type));
    elements.addAll(List.of(type.getDeclaredFields()));
    elements.addAll(List.of(type.getDeclaredMethods()));
    Stream.of(type.getDeclaredConstructors())
        .flatMap(c -> Stream.of(c.getParameters()))
        .forEach(elements::add);
    if (type.isRecord()) {
      elements.addAll(List.of(type.getRecordComponents()));
    }
    for (AnnotatedElement element : elements) {
      for (Annotation annotation : element.getAnnotations()) {
        if (annotation.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
          add(type, "annotated @" + annotation.annotationType().getSimpleName());
          namedClasses(annotation)
              .forEach(t -> add(t, "named by @" + annotation.annotationType().getSimpleName()));
        }
      }
    }
  }

  /** The classes an annotation names in its members (using = X.class, @Type(X.class)...). */
  private static List<Class<?>> namedClasses(Annotation annotation) {
    List<Class<?>> named = new ArrayList<>();
    for (Method member : annotation.annotationType().getDeclaredMethods()) {
      Object value;
      try {
        value = member.invoke(annotation);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      Object[] values = value.getClass().isArray() ? toArray(value) : new Object[] {value};
      for (Object v : values) {
        if (v instanceof Class<?> c && AppClasses.isApp(c)) {
          named.add(c);
        } else if (v instanceof Annotation nested) {
          named.addAll(namedClasses(nested));
        }
      }
    }
    return named;
  }

  private static Object[] toArray(Object array) {
    Object[] values = new Object[java.lang.reflect.Array.getLength(array)];
    for (int i = 0; i < values.length; i++) {
      values[i] = java.lang.reflect.Array.get(array, i);
    }
    return values;
  }

  /** The values and class literals that methods of {@code type} hand to a JSON writer or reader. */
  private void jsonCalls(Class<?> type) {
    ClassNode node = AppClasses.bytecode(type);
    for (MethodNode method : node.methods) {
      List<MethodInsnNode> writes = calls(method, WRITERS);
      List<MethodInsnNode> reads = calls(method, READERS);
      String where = name(type) + "." + method.name;
      if (!writes.isEmpty()) {
        writtenValues(node, method, writes).forEach(t -> add(t, "written as JSON by " + where));
      }
      if (!reads.isEmpty()) {
        for (AbstractInsnNode insn : method.instructions) {
          if (insn instanceof LdcInsnNode ldc
              && ldc.cst instanceof org.objectweb.asm.Type literal
              && literal.getSort() == org.objectweb.asm.Type.OBJECT) {
            appClass(literal.getClassName()).forEach(t -> add(t, "read as JSON by " + where));
          }
        }
      }
    }
  }

  private static List<MethodInsnNode> calls(MethodNode method, Map<String, Set<String>> sinks) {
    List<MethodInsnNode> found = new ArrayList<>();
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof MethodInsnNode call
          && sinks.getOrDefault(call.owner, Set.of()).contains(call.name)) {
        found.add(call);
      }
    }
    return found;
  }

  /** The static types, at each call, of the arguments declared {@code Object}. */
  private static List<Class<?>> writtenValues(
      ClassNode owner, MethodNode method, List<MethodInsnNode> writes) {
    SimpleVerifier verifier =
        new SimpleVerifier(
            org.objectweb.asm.Type.getObjectType(owner.name),
            owner.superName == null ? null : org.objectweb.asm.Type.getObjectType(owner.superName),
            owner.interfaces.stream().map(org.objectweb.asm.Type::getObjectType).toList(),
            (owner.access & Opcodes.ACC_INTERFACE) != 0);
    verifier.setClassLoader(JsonTypes.class.getClassLoader());
    Frame<BasicValue>[] frames;
    try {
      frames = new Analyzer<>(verifier).analyze(owner.name, method);
    } catch (AnalyzerException e) {
      throw new IllegalStateException(
          "cannot read the types in " + owner.name + "." + method.name, e);
    }
    List<Class<?>> written = new ArrayList<>();
    for (MethodInsnNode call : writes) {
      Frame<BasicValue> frame = frames[method.instructions.indexOf(call)];
      if (frame == null) {
        continue; // unreachable code
      }
      org.objectweb.asm.Type[] parameters = org.objectweb.asm.Type.getArgumentTypes(call.desc);
      int first = frame.getStackSize() - parameters.length;
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i].getDescriptor().equals("Ljava/lang/Object;")) {
          org.objectweb.asm.Type value = frame.getStack(first + i).getType();
          if (value != null && value.getSort() == org.objectweb.asm.Type.OBJECT) {
            written.addAll(appClass(value.getClassName()));
          }
        }
      }
    }
    return written;
  }

  /** From every type found so far, the application types of its JSON properties. */
  private void closeOverProperties() {
    Deque<Class<?>> todo = new ArrayDeque<>(reasons.keySet());
    while (!todo.isEmpty()) {
      Class<?> type = todo.pop();
      for (Type property : properties(type)) {
        for (Class<?> t : appTypes(property)) {
          if (add(t, "a property of " + name(type))) {
            todo.push(t);
          }
        }
      }
    }
  }

  private static List<Type> properties(Class<?> type) {
    List<Type> properties = new ArrayList<>();
    if (type.isRecord()) {
      Stream.of(type.getRecordComponents())
          .map(RecordComponent::getGenericType)
          .forEach(properties::add);
      return properties;
    }
    if (type.isEnum()) {
      return properties;
    }
    for (Class<?> c = type; c != null && AppClasses.isApp(c); c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers)
            && !Modifier.isTransient(modifiers)
            && !field.isSynthetic()) {
          properties.add(field.getGenericType());
        }
      }
    }
    for (Method method : type.getMethods()) {
      boolean getter =
          method.getParameterCount() == 0
              && !Modifier.isStatic(method.getModifiers())
              && method.getDeclaringClass() != Object.class
              && (method.getName().matches("get[A-Z].*") || method.getName().matches("is[A-Z].*"));
      if (getter) {
        properties.add(method.getGenericReturnType());
      }
    }
    return properties;
  }

  /** The application classes in a (generic) type: the type itself, its arguments, elements. */
  static List<Class<?>> appTypes(Type type) {
    List<Class<?>> found = new ArrayList<>();
    if (type instanceof Class<?> c) {
      if (c.isArray()) {
        found.addAll(appTypes(c.getComponentType()));
      } else if (AppClasses.isApp(c)) {
        found.add(c);
      }
    } else if (type instanceof ParameterizedType p) {
      found.addAll(appTypes(p.getRawType()));
      Arrays.stream(p.getActualTypeArguments()).map(JsonTypes::appTypes).forEach(found::addAll);
    } else if (type instanceof GenericArrayType g) {
      found.addAll(appTypes(g.getGenericComponentType()));
    } else if (type instanceof WildcardType w) {
      Arrays.stream(w.getUpperBounds()).map(JsonTypes::appTypes).forEach(found::addAll);
      Arrays.stream(w.getLowerBounds()).map(JsonTypes::appTypes).forEach(found::addAll);
    }
    return found;
  }

  private static List<Class<?>> appClass(String name) {
    return name.startsWith(AppClasses.PACKAGE + ".") ? List.of(AppClasses.load(name)) : List.of();
  }

  private static boolean isEntity(Class<?> type) {
    return type.isAnnotationPresent(Entity.class)
        || type.isAnnotationPresent(Embeddable.class)
        || type.isAnnotationPresent(MappedSuperclass.class);
  }

  private boolean add(Class<?> type, String reason) {
    return reasons.putIfAbsent(type, reason) == null;
  }

  static String name(Class<?> type) {
    return type.getName().substring(AppClasses.PACKAGE.length() + 1);
  }
}
