import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The native-image builder's jars as Maven copies them from org.graalvm.nativeimage:svm and its
 * dependencies: each one a named module, all of one version. The compiler jar replaces the JDK's
 * own Graal module (--upgrade-module-path); the others go on the builder's --module-path.
 */
final class BuilderJars {
  static final String BUILDER_MODULE = "org.graalvm.nativeimage.builder";
  static final String COMPILER_MODULE = "jdk.graal.compiler";
  private static final Pattern VERSIONED = Pattern.compile("(.+)-(\\d+\\.\\d+\\.\\d+)\\.jar");

  private final Map<String, Path> modules; // module name -> jar
  private final Map<String, ModuleDescriptor> descriptors;
  private final String version;

  private BuilderJars(
      Map<String, Path> modules, Map<String, ModuleDescriptor> descriptors, String version) {
    this.modules = modules;
    this.descriptors = descriptors;
    this.version = version;
  }

  static BuilderJars in(Path dir) throws IOException {
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
    Map<String, Path> modules = new LinkedHashMap<>();
    Map<String, ModuleDescriptor> descriptors = new LinkedHashMap<>();
    String version = null;
    for (Path jar : jars) {
      Matcher m = VERSIONED.matcher(jar.getFileName().toString());
      if (!m.matches() || (version != null && !version.equals(m.group(2)))) {
        throw new IllegalStateException("builder jars of mixed versions in " + dir + ": " + jar);
      }
      version = m.group(2);
      ModuleDescriptor d = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
      modules.put(d.name(), jar.toAbsolutePath());
      descriptors.put(d.name(), d);
    }
    if (!modules.containsKey(BUILDER_MODULE) || !modules.containsKey(COMPILER_MODULE)) {
      throw new IllegalStateException(
          "no native-image builder in " + dir + " (run the native-analysis Maven profile first)");
    }
    return new BuilderJars(modules, descriptors, version);
  }

  String version() {
    return version;
  }

  List<Path> all() {
    return List.copyOf(modules.values());
  }

  Path jar(String module) {
    return modules.get(module);
  }

  /** Every jar but the compiler's. */
  List<Path> modulePath() {
    List<Path> result = new ArrayList<>(modules.values());
    result.remove(modules.get(COMPILER_MODULE));
    return result;
  }

  Map<String, ModuleDescriptor> descriptors() {
    return Collections.unmodifiableMap(descriptors);
  }

  ClassModel classModel(String module, String internalName) throws IOException {
    try (JarFile jar = new JarFile(modules.get(module).toFile())) {
      JarEntry entry = jar.getJarEntry(internalName + ".class");
      if (entry == null) {
        throw new IllegalStateException(module + " has no class " + internalName);
      }
      try (InputStream in = jar.getInputStream(entry)) {
        return ClassFile.of().parse(in.readAllBytes());
      }
    }
  }

  void forEachClass(Consumer<ClassModel> action) throws IOException {
    for (String module : modules.keySet()) {
      forEachClass(module, action);
    }
  }

  void forEachClass(String module, Consumer<ClassModel> action) throws IOException {
    try (JarFile jar = new JarFile(modules.get(module).toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.endsWith(".class")
            && !name.startsWith("META-INF/")
            && !name.equals("module-info.class")) {
          try (InputStream in = jar.getInputStream(entry)) {
            action.accept(ClassFile.of().parse(in.readAllBytes()));
          }
        }
      }
    }
  }
}
