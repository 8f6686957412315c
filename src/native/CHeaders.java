import java.io.IOException;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C headers of the builder's own helper library (cpufeatures, svm_locale), which are not
 * published: the builder compiles small queries against them for the sizes and offsets of the
 * structs it declares with @CStruct/@CField and the values of its @CConstant methods. They are
 * generated here from those annotations in the builder jar, which is all the analysis needs. The
 * values of the constants are placeholders: such headers do for the analysis, not for a binary.
 */
final class CHeaders {
  private static final Pattern PROJECT_HEADER = Pattern.compile("include/([\\w-]+\\.h)");
  private static final String C = "Lorg/graalvm/nativeimage/c/";

  private final Map<String, String> headerOfDirectives = new TreeMap<>(); // class -> header
  private final Map<String, String> contextOfClass = new TreeMap<>(); // class -> directives
  private final Map<String, ClassModel> models = new LinkedHashMap<>();

  private CHeaders() {}

  /** Writes {@code dir}/include/*.h and returns the header names, each checked to compile. */
  static List<String> write(BuilderJars jars, Path dir, Gcc gcc) throws IOException {
    CHeaders headers = new CHeaders();
    jars.forEachClass(BuilderJars.BUILDER_MODULE, headers::index);
    Path include = Files.createDirectories(dir.resolve("include"));
    List<String> written = new ArrayList<>();
    for (String header : new LinkedHashSet<>(headers.headerOfDirectives.values())) {
      String text = headers.render(header);
      Files.writeString(include.resolve(header), text);
      gcc.checkCompiles(include.resolve(header));
      written.add(header);
    }
    return written;
  }

  private void index(ClassModel model) {
    String name = model.thisClass().asInternalName();
    for (PoolEntry e : model.constantPool()) {
      if (e instanceof StringEntry s) {
        Matcher m = PROJECT_HEADER.matcher(s.stringValue());
        if (m.matches()) {
          headerOfDirectives.put(name, m.group(1));
        }
      }
    }
    annotation(classAnnotations(model), C + "CContext;")
        .ifPresent(a -> contextOfClass.put(name, classValue(a)));
    if (declaresC(model)) {
      models.put(name, model);
    }
  }

  private String render(String header) {
    StringBuilder out = new StringBuilder("/* Generated from the builder jar's annotations. */\n");
    int declarations = 0;
    for (Map.Entry<String, ClassModel> e : models.entrySet()) {
      String directives = context(e.getKey());
      if (directives != null && header.equals(headerOfDirectives.get(directives))) {
        declarations += renderClass(e.getValue(), out);
      }
    }
    if (declarations == 0) {
      throw new IllegalStateException("nothing declares anything for " + header);
    }
    return out.toString();
  }

  private static boolean declaresC(ClassModel model) {
    if (annotation(classAnnotations(model), C + "struct/CStruct;").isPresent()) {
      return true;
    }
    return model.methods().stream()
        .anyMatch(m -> annotation(methodAnnotations(m), C + "constant/CConstant;").isPresent());
  }

  /** The @CContext of a class or of the class it is nested in. */
  private String context(String className) {
    for (String c = className; ; c = c.substring(0, c.lastIndexOf('$'))) {
      if (contextOfClass.containsKey(c)) {
        return contextOfClass.get(c);
      }
      if (!c.contains("$")) {
        return null;
      }
    }
  }

  private int renderClass(ClassModel model, StringBuilder out) {
    int declarations = 0;
    for (MethodModel m : model.methods()) {
      Optional<Annotation> constant = annotation(methodAnnotations(m), C + "constant/CConstant;");
      if (constant.isPresent()) {
        String name = stringValue(constant.get(), "value").orElse(m.methodName().stringValue());
        out.append("#define ").append(name).append(' ').append(++declarations).append('\n');
      }
    }
    Optional<Annotation> struct = annotation(classAnnotations(model), C + "struct/CStruct;");
    if (struct.isPresent()) {
      renderStruct(model, struct.get(), out);
      declarations++;
    }
    return declarations;
  }

  private void renderStruct(ClassModel model, Annotation struct, StringBuilder out) {
    String simple = model.thisClass().asInternalName().replaceAll(".*[/$]", "");
    String name = stringValue(struct, "value").filter(s -> !s.isEmpty()).orElse(simple);
    Set<String> fields = new LinkedHashSet<>();
    for (MethodModel m : model.methods()) {
      Optional<Annotation> field = annotation(methodAnnotations(m), C + "struct/CField;");
      String descriptor = m.methodType().stringValue();
      if (field.isPresent() && descriptor.startsWith("()")) {
        String fieldName =
            stringValue(field.get(), "value")
                .filter(s -> !s.isEmpty())
                .orElse(m.methodName().stringValue());
        fields.add(cType(descriptor.substring(2)) + " " + fieldName + ";");
      }
    }
    boolean keyword =
        struct.elements().stream()
            .anyMatch(
                e ->
                    e.name().stringValue().equals("addStructKeyword")
                        && e.value() instanceof AnnotationValue.OfBoolean b
                        && b.booleanValue());
    out.append(keyword ? "struct " + name + " {\n" : "typedef struct {\n");
    fields.forEach(f -> out.append("  ").append(f).append('\n'));
    out.append(keyword ? "};\n" : "} " + name + ";\n");
  }

  private static String cType(String javaType) {
    return switch (javaType) {
      case "Z", "B" -> "char";
      case "S" -> "short";
      case "C" -> "unsigned short";
      case "I" -> "int";
      case "J" -> "long long";
      case "F" -> "float";
      case "D" -> "double";
      case "Lorg/graalvm/nativeimage/c/type/CCharPointer;" -> "char*";
      default -> "void*";
    };
  }

  private static List<Annotation> classAnnotations(ClassModel model) {
    return model
        .findAttribute(Attributes.runtimeVisibleAnnotations())
        .map(a -> a.annotations())
        .orElse(List.of());
  }

  private static List<Annotation> methodAnnotations(MethodModel m) {
    return m.findAttribute(Attributes.runtimeVisibleAnnotations())
        .map(a -> a.annotations())
        .orElse(List.of());
  }

  private static Optional<Annotation> annotation(List<Annotation> annotations, String type) {
    return annotations.stream()
        .filter(a -> a.classSymbol().descriptorString().equals(type))
        .findFirst();
  }

  private static Optional<String> stringValue(Annotation a, String element) {
    for (AnnotationElement e : a.elements()) {
      if (e.name().stringValue().equals(element)
          && e.value() instanceof AnnotationValue.OfString s) {
        return Optional.of(s.stringValue());
      }
    }
    return Optional.empty();
  }

  private static String classValue(Annotation a) {
    for (AnnotationElement e : a.elements()) {
      if (e.value() instanceof AnnotationValue.OfClass c) {
        String desc = c.classSymbol().descriptorString();
        return desc.substring(1, desc.length() - 1);
      }
    }
    throw new IllegalStateException("@CContext without a class: " + a);
  }
}
