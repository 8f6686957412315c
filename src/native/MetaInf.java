import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The driver's handling of META-INF/native-image in every jar of the image class path: each
 * native-image.properties adds its Args (and JavaArgs) as if given on the command line, and each
 * *-config.json is passed to the builder as the -H:*ConfigurationResources option of its kind,
 * unless an --exclude-config pair matches it. Without this the builder sees none of the libraries'
 * class-initialization settings and the analysis passes where a real build fails.
 */
final class MetaInf {
  private static final String BASE = "META-INF/native-image";

  /** The kinds of metadata file, in the driver's order, with the builder option for each. */
  private static final List<Map.Entry<String, String>> CONFIG_FILES =
      List.of(
          Map.entry("reachability-metadata.json", "ReachabilityMetadataResources"),
          Map.entry("jni-config.json", "JNIConfigurationResources"),
          Map.entry("reflect-config.json", "ReflectionConfigurationResources"),
          Map.entry("resource-config.json", "ResourceConfigurationResources"),
          Map.entry("proxy-config.json", "DynamicProxyConfigurationResources"),
          Map.entry("serialization-config.json", "SerializationConfigurationResources"),
          Map.entry("serialization-deny-config.json", "SerializationDenyConfigurationResources"),
          Map.entry("predefined-classes-config.json", "PredefinedClassesConfigurationResources"));

  private final ImageArgs args;
  private final List<String> applied = new ArrayList<>();
  private final List<String> excluded = new ArrayList<>();

  MetaInf(ImageArgs args) {
    this.args = args;
  }

  List<String> applied() {
    return applied;
  }

  List<String> excluded() {
    return excluded;
  }

  /** Fails if the builder lacks an option this walker would pass (a newer or older builder). */
  static void checkOptions(BuilderJars jars) throws IOException {
    List<String> fields =
        jars
            .classModel(
                BuilderJars.BUILDER_MODULE,
                "com/oracle/svm/core/configure/ConfigurationFiles$Options")
            .fields()
            .stream()
            .map(f -> f.fieldName().stringValue())
            .toList();
    for (Map.Entry<String, String> kind : CONFIG_FILES) {
      if (!fields.contains(kind.getValue())) {
        throw new IllegalStateException("the builder has no option " + kind.getValue());
      }
    }
  }

  void walk(Path jar) throws IOException {
    if (!jar.toString().endsWith(".jar")) {
      return;
    }
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
      Path base = fs.getPath("/" + BASE);
      if (!Files.isDirectory(base)) {
        return;
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(base)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      checkAllKnown(jar, files);
      for (Path file : files.stream().filter(f -> f.endsWith("native-image.properties")).toList()) {
        apply(jar, file, () -> properties(file));
      }
      for (Map.Entry<String, String> kind : CONFIG_FILES) {
        for (Path file : files.stream().filter(f -> f.endsWith(kind.getKey())).toList()) {
          String resource = fs.getPath("/").relativize(file).toString();
          apply(jar, file, () -> args.addBuilderArg("-H:" + kind.getValue() + "=" + resource));
        }
      }
    }
  }

  private interface Step {
    void run() throws IOException;
  }

  private void apply(Path jar, Path file, Step step) throws IOException {
    String where = jar.getFileName() + "!" + file;
    if (args.excluded(jar, file)) {
      excluded.add(where);
    } else {
      step.run();
      applied.add(where);
    }
  }

  private void properties(Path file) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    if (properties.getProperty("ForceOnModulePath") != null) {
      throw new IllegalArgumentException("ForceOnModulePath is not supported: " + file.toUri());
    }
    String dir = file.getRoot().relativize(file.getParent()).toString();
    String origin = file.toUri().toString();
    List<String> tokens = new ArrayList<>();
    if (properties.getProperty("ImageName") != null) {
      tokens.add("-H:Name=" + properties.getProperty("ImageName"));
    }
    for (String javaArg : split(properties.getProperty("JavaArgs"), dir)) {
      tokens.add("-J" + javaArg);
    }
    tokens.addAll(split(properties.getProperty("Args"), dir));
    args.process(tokens, origin, false);
  }

  /** A property value split at whitespace, with ${.} and ${java.home} substituted. */
  private static List<String> split(String value, String dir) {
    if (value == null) {
      return List.of();
    }
    if (value.contains("${*}")) {
      throw new IllegalArgumentException("option substitution ${*} is not supported: " + value);
    }
    String resolved =
        value.replace("${.}", dir).replace("${java.home}", System.getProperty("java.home"));
    return Arrays.stream(resolved.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** A metadata file this walker does not know would be silently dropped: fail instead. */
  private static void checkAllKnown(Path jar, List<Path> files) {
    for (Path file : files) {
      String name = file.getFileName().toString();
      boolean known =
          name.equals("native-image.properties")
              || CONFIG_FILES.stream().anyMatch(k -> name.equals(k.getKey()));
      if (!known && (name.endsWith(".json") || name.endsWith(".properties"))) {
        throw new IllegalArgumentException(
            "unknown native-image metadata "
                + file
                + " in "
                + jar
                + ": teach src/native/MetaInf.java");
      }
    }
  }
}
