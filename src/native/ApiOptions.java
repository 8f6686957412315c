import java.io.IOException;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The builder's API options (--features=..., --initialize-at-run-time=..., --no-fallback), read
 * from the @APIOption annotations on the option fields in the builder jars and translated to the
 * builder's -H: form the way the native-image driver does it (which is not published).
 */
final class ApiOptions {
  private static final String API_OPTION = "Lcom/oracle/svm/core/option/APIOption;";
  private static final String API_OPTION_LIST = "Lcom/oracle/svm/core/option/APIOption$List;";
  private static final String DEFAULT_TRANSFORMER =
      "com.oracle.svm.core.option.APIOption$DefaultTransformer";
  private static final char WHITESPACE_SEPARATOR = ' ';

  /** One API spelling of a builder option. */
  record Option(
      String name,
      List<Character> separators,
      String builderOption,
      String defaultValue,
      boolean valueFinal,
      List<String> transformers,
      String deprecation) {}

  private final TreeMap<String, Option> options = new TreeMap<>();
  private final ClassLoader transformerLoader;

  private ApiOptions(ClassLoader transformerLoader) {
    this.transformerLoader = transformerLoader;
  }

  static ApiOptions read(BuilderJars jars) throws IOException {
    List<URL> urls = new ArrayList<>();
    for (Path jar : jars.all()) {
      urls.add(jar.toUri().toURL());
    }
    ApiOptions api = new ApiOptions(new URLClassLoader(urls.toArray(URL[]::new), null));
    jars.forEachClass(api::collect);
    return api;
  }

  int size() {
    return options.size();
  }

  private void collect(ClassModel model) {
    for (FieldModel field : model.fields()) {
      field
          .findAttribute(Attributes.runtimeVisibleAnnotations())
          .ifPresent(a -> a.annotations().forEach(an -> collect(field, an)));
    }
  }

  private void collect(FieldModel field, Annotation annotation) {
    String type = annotation.classSymbol().descriptorString();
    if (type.equals(API_OPTION_LIST)) {
      for (AnnotationValue v : ((AnnotationValue.OfArray) element(annotation, "value")).values()) {
        collect(field, ((AnnotationValue.OfAnnotation) v).annotation());
      }
    } else if (type.equals(API_OPTION)) {
      add(field, annotation);
    }
  }

  private void add(FieldModel field, Annotation an) {
    if (element(an, "group") != null) {
      return; // option groups (--gc=...) are not used by this build; an unknown option fails
    }
    String signature =
        field
            .findAttribute(Attributes.signature())
            .map(s -> s.signature().stringValue())
            .orElse("");
    boolean bool = signature.endsWith("<Ljava/lang/Boolean;>;");
    String prefix = signature.contains("RuntimeOptionKey") ? "-R:" : "-H:";
    boolean negated =
        element(an, "kind") instanceof AnnotationValue.OfEnum e
            && e.constantName().stringValue().equals("Negated");
    String fieldName = field.fieldName().stringValue();
    String builderOption =
        bool ? prefix + (negated ? "-" : "+") + fieldName : prefix + fieldName + "=";
    List<String> fixed = strings(an, "fixedValue");
    List<String> defaults = strings(an, "defaultValue");
    String defaultValue =
        !fixed.isEmpty() ? fixed.getFirst() : defaults.isEmpty() ? null : defaults.getFirst();
    String deprecated =
        element(an, "deprecated") instanceof AnnotationValue.OfString s ? s.stringValue() : "";
    for (String variant : strings(an, "name")) {
      String name = variant.startsWith("-") ? variant : "--" + variant;
      options.putIfAbsent(
          name,
          new Option(
              name,
              separators(an),
              builderOption,
              defaultValue,
              bool || !fixed.isEmpty(),
              transformers(an),
              deprecated));
    }
  }

  /**
   * Translates the option at the head of {@code args} and removes it (with its value, if the value
   * is the next argument); returns null, leaving {@code args} alone, if it is no API option.
   */
  String translate(Deque<String> args, String origin) {
    String head = args.peek();
    for (Option option : options.values()) {
      if ((option.valueFinal() || option.defaultValue() != null) && head.equals(option.name())) {
        args.poll();
        return apply(option, option.defaultValue(), origin);
      }
      for (char separator : option.separators()) {
        if (separator == WHITESPACE_SEPARATOR && head.equals(option.name())) {
          args.poll();
          String value = args.poll();
          if (value == null) {
            throw new IllegalArgumentException(head + " from " + origin + " needs a value");
          }
          return apply(option, value, origin);
        }
        if (separator != WHITESPACE_SEPARATOR && head.startsWith(option.name() + separator)) {
          args.poll();
          return apply(option, head.substring(option.name().length() + 1), origin);
        }
      }
    }
    return null;
  }

  private String apply(Option option, String value, String origin) {
    if (!option.deprecation().isEmpty()) {
      System.err.println("Warning: deprecated option " + option.name() + " from " + origin);
    }
    if (option.builderOption().endsWith("=")) {
      return option.builderOption() + (value == null ? "" : transform(option, value));
    }
    return option.builderOption();
  }

  private String transform(Option option, String value) {
    Object result = value;
    for (String className : option.transformers()) {
      result = transformer(className).apply(result);
    }
    return result.toString();
  }

  @SuppressWarnings("unchecked")
  private Function<Object, Object> transformer(String className) {
    try {
      Constructor<?> constructor =
          Class.forName(className, true, transformerLoader).getDeclaredConstructor();
      constructor.setAccessible(true);
      return (Function<Object, Object>) constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot apply the builder's value transformer " + className, e);
    }
  }

  private static List<Character> separators(Annotation an) {
    List<Character> result = new ArrayList<>();
    if (element(an, "valueSeparator") instanceof AnnotationValue.OfArray array) {
      array.values().forEach(v -> result.add(((AnnotationValue.OfChar) v).charValue()));
    } else {
      result.add('=');
    }
    return result;
  }

  private static List<String> transformers(Annotation an) {
    List<String> result = new ArrayList<>();
    if (element(an, "valueTransformer") instanceof AnnotationValue.OfArray array) {
      for (AnnotationValue v : array.values()) {
        String desc = ((AnnotationValue.OfClass) v).classSymbol().descriptorString();
        String name = desc.substring(1, desc.length() - 1).replace('/', '.');
        if (!name.equals(DEFAULT_TRANSFORMER)) {
          result.add(name);
        }
      }
    }
    return result;
  }

  private static List<String> strings(Annotation an, String name) {
    List<String> result = new ArrayList<>();
    if (element(an, name) instanceof AnnotationValue.OfArray array) {
      array.values().forEach(v -> result.add(((AnnotationValue.OfString) v).stringValue()));
    }
    return result;
  }

  private static AnnotationValue element(Annotation an, String name) {
    for (AnnotationElement e : an.elements()) {
      if (e.name().stringValue().equals(name)) {
        return e.value();
      }
    }
    return null;
  }
}
