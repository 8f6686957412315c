import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * Compiles src/native/patch (the pure-Java ProgressReporterCHelper) into a directory for
 * --patch-module, after checking that it offers every method the builder's own class offers to the
 * rest of the builder, so that a newer builder cannot silently call a method it lacks.
 */
final class ProgressPatch {
  static final String CLASS = "com/oracle/svm/hosted/ProgressReporterCHelper";

  private ProgressPatch() {}

  static Path compile(Path sources, Path out, BuilderJars jars) throws IOException {
    List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "21"));
    try (var walk = Files.walk(sources)) {
      walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
    if (javac.run(System.out, System.err, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("javac failed on " + sources);
    }
    Set<String> missing = methods(jars.classModel(BuilderJars.BUILDER_MODULE, CLASS));
    missing.removeAll(methods(ClassFile.of().parse(out.resolve(CLASS + ".class"))));
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the ProgressReporterCHelper stand-in lacks " + missing);
    }
    return out;
  }

  private static Set<String> methods(ClassModel model) {
    Set<String> result = new TreeSet<>();
    for (MethodModel m : model.methods()) {
      if (!m.flags().has(AccessFlag.PRIVATE) && !m.methodName().stringValue().startsWith("<")) {
        result.add(m.methodName().stringValue() + m.methodType().stringValue());
      }
    }
    return result;
  }
}
