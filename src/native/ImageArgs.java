import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * What the native-image driver makes of Quarkus' native-image.args before it starts the builder:
 * API options in their -H: form, -J/-D options for the builder's JVM, the image class path from
 * -jar and the manifests' Class-Path, and the META-INF/native-image metadata of every jar on it
 * (see {@link MetaInf}). Any option it does not know fails the run rather than being dropped.
 */
final class ImageArgs {
  /** An --exclude-config pair: metadata files that the build must ignore. */
  record Exclusion(Pattern jar, Pattern resource) {
    boolean matches(Path jarPath, Path resourcePath) {
      return jar.matcher(jarPath.toString()).find()
          && resource.matcher(resourcePath.toString()).find();
    }
  }

  private final ApiOptions api;
  private final Path workingDir;
  private final List<String> builderArgs = new ArrayList<>();
  private final List<String> javaArgs = new ArrayList<>();
  private final Set<Path> classpath = new LinkedHashSet<>();
  private final List<Exclusion> exclusions = new ArrayList<>();
  private final MetaInf metaInf = new MetaInf(this);
  private String name;

  private ImageArgs(ApiOptions api, Path workingDir) {
    this.api = api;
    this.workingDir = workingDir;
  }

  /** Reads an args file written for `native-image $(cat native-image.args)` in its folder. */
  static ImageArgs read(Path argsFile, ApiOptions api) throws IOException {
    ImageArgs args = new ImageArgs(api, argsFile.toAbsolutePath().getParent());
    String text = Files.readString(argsFile).trim();
    args.process(Arrays.asList(text.split("\\s+")), argsFile.getFileName().toString(), true);
    if (args.name == null || args.classpath.isEmpty()) {
      throw new IllegalArgumentException(argsFile + " names no image or no -jar");
    }
    return args;
  }

  List<String> builderArgs() {
    return builderArgs;
  }

  List<String> javaArgs() {
    return javaArgs;
  }

  Set<Path> classpath() {
    return classpath;
  }

  String name() {
    return name;
  }

  MetaInf metaInf() {
    return metaInf;
  }

  boolean excluded(Path jar, Path resource) {
    return exclusions.stream().anyMatch(e -> e.matches(jar, resource));
  }

  /** As the driver: --exclude-config first (before any jar is walked), then the rest in order. */
  void process(List<String> tokens, String origin, boolean fromUser) throws IOException {
    Deque<String> queue = new ArrayDeque<>(tokens.stream().filter(t -> !t.isEmpty()).toList());
    Deque<String> rest = new ArrayDeque<>();
    while (!queue.isEmpty()) {
      if (queue.peek().equals("--exclude-config")) {
        queue.poll();
        exclusions.add(
            new Exclusion(
                Pattern.compile(value(queue, origin)), Pattern.compile(value(queue, origin))));
      } else {
        rest.add(queue.poll());
      }
    }
    while (!rest.isEmpty()) {
      option(rest, origin, fromUser);
    }
  }

  void addBuilderArg(String arg) {
    builderArgs.add(arg);
  }

  private void option(Deque<String> queue, String origin, boolean fromUser) throws IOException {
    String head = queue.peek();
    if (head.startsWith("-H:") || head.startsWith("-R:")) {
      builderArgs.add(queue.poll());
    } else if (head.startsWith("-J")) {
      javaArgs.add(queue.poll().substring(2));
    } else if (head.startsWith("-D")) {
      javaArgs.add(queue.poll());
    } else if (head.equals("-jar") && fromUser) {
      queue.poll();
      jar(workingDir.resolve(value(queue, origin)).normalize());
    } else if (!head.startsWith("-") && fromUser) {
      name = queue.poll();
    } else {
      String translated = api.translate(queue, origin);
      if (translated == null) {
        throw new IllegalArgumentException(
            "unsupported native-image option '" + head + "' from " + origin);
      }
      builderArgs.add(translated);
    }
  }

  private static String value(Deque<String> queue, String origin) {
    String option = queue.isEmpty() ? "" : "after " + queue.peek();
    String value = queue.poll();
    if (value == null) {
      throw new IllegalArgumentException("missing value " + option + " in " + origin);
    }
    return value;
  }

  private void jar(Path jar) throws IOException {
    Attributes main = manifest(jar);
    String mainClass = main == null ? null : main.getValue("Main-Class");
    if (mainClass == null) {
      throw new IllegalArgumentException("no Main-Class in the manifest of " + jar);
    }
    builderArgs.add("-H:Class=" + mainClass);
    moduleAttribute(main.getValue("Add-Opens"), "-H:AddOpens=");
    moduleAttribute(main.getValue("Add-Exports"), "-H:AddExports=");
    if ("ALL-UNNAMED".equals(main.getValue("Enable-Native-Access"))) {
      javaArgs.add("--enable-native-access=ALL-UNNAMED");
    }
    addClasspathEntry(jar);
  }

  /** The -jar manifest's Add-Opens/Add-Exports (Quarkus opens java.lang there), as the driver. */
  private void moduleAttribute(String value, String option) {
    if (value != null) {
      for (String modulePackage : value.trim().split(" +")) {
        builderArgs.add(option + modulePackage + "=ALL-UNNAMED");
      }
    }
  }

  /** As the driver: the entry, then its manifest's Class-Path, then the entry's own metadata. */
  private void addClasspathEntry(Path entry) throws IOException {
    if (!Files.exists(entry) || !classpath.add(entry)) {
      return; // the driver, like java, tolerates missing Class-Path entries
    }
    Attributes main = manifest(entry);
    String cp = main == null ? null : main.getValue("Class-Path");
    if (cp != null) {
      for (String relative : cp.trim().split(" +")) {
        addClasspathEntry(entry.getParent().resolve(relative).normalize());
      }
    }
    metaInf.walk(entry);
  }

  private static Attributes manifest(Path jar) throws IOException {
    if (!jar.toString().endsWith(".jar")) {
      return null;
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      return manifest == null ? null : manifest.getMainAttributes();
    }
  }
}
