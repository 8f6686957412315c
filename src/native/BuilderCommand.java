import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The builder's command line, as the native-image driver would start it on a GraalVM JDK, for a
 * stock JDK 25 (Temurin): JVMCI unlocked, the builder jars as modules with the compiler jar in
 * place of the JDK's own Graal module, the exports a GraalVM JDK would declare, and the driver's
 * usual JVM options (without -Xss10m, -XX:+UseParallelGC, -Xshare:off and ALL-DEFAULT the reachable
 * counts drift from a real build's).
 */
final class BuilderCommand {
  private static final String RUNNER =
      BuilderJars.BUILDER_MODULE + "/com.oracle.svm.hosted.NativeImageGeneratorRunner";

  private final BuilderJars jars;
  private final ImageArgs image;
  private final Path work;

  BuilderCommand(BuilderJars jars, ImageArgs image, Path work) {
    this.jars = jars;
    this.image = image;
    this.work = work;
  }

  /** Writes the JVM's @argfile and the builder's args file; returns the command to run. */
  List<String> write(List<String> exports, Path patch, Path clibraries) throws IOException {
    List<String> jvm = new ArrayList<>(jvmOptions());
    jvm.addAll(image.javaArgs());
    jvm.addAll(exports);
    jvm.addAll(List.of("--upgrade-module-path", jars.jar(BuilderJars.COMPILER_MODULE).toString()));
    jvm.addAll(List.of("--module-path", join(jars.modulePath(), ":")));
    jvm.add("--patch-module=" + BuilderJars.BUILDER_MODULE + "=" + patch);
    jvm.add("--add-modules=ALL-DEFAULT");
    jvm.add("--enable-native-access=" + String.join(",", jars.descriptors().keySet()));
    jvm.addAll(List.of("--module", RUNNER));
    jvm.addAll(List.of("-keepalive", "/proc/" + ProcessHandle.current().pid() + "/comm"));
    Path jvmFile = work.resolve("builder-jvm.args");
    Files.writeString(
        jvmFile, jvm.stream().map(BuilderCommand::quote).collect(Collectors.joining("\n")));
    Path argsFile = work.resolve("builder-image.args");
    Files.writeString(argsFile, String.join("\0", builderArgs(clibraries)));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return List.of(java.toString(), "@" + jvmFile, "--image-args-file=" + argsFile);
  }

  private List<String> jvmOptions() {
    String v = jars.version();
    return List.of(
        "-XX:+UnlockExperimentalVMOptions",
        "-XX:+EnableJVMCI",
        "-XX:-UseJVMCICompiler",
        "-Xss10m",
        "-XX:MaxRAMPercentage=" + maxRamPercentage(),
        "-XX:GCTimeRatio=19",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+UseParallelGC",
        "-Xshare:off",
        "-Djava.awt.headless=true",
        "-Dorg.graalvm.vendor=GraalVM Community",
        "-Dorg.graalvm.vendorurl=https://www.graalvm.org/",
        "-Dorg.graalvm.vendorversion=GraalVM CE " + v, // Quarkus' Feature fails without it
        "-Dorg.graalvm.version=" + v,
        "-Dcom.oracle.graalvm.isaot=true",
        "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
        "-Dorg.graalvm.nativeimage.imagecode=buildtime",
        "-Djdk.internal.lambda.disableEagerInitialization=true",
        "-Djdk.internal.lambda.eagerlyInitialize=false",
        "-Djava.lang.invoke.InnerClassLambdaMetafactory.initializeLambdas=false",
        "-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1",
        "-Djava.lang.invoke.MethodHandle.PROFILE_GWT=false");
  }

  private List<String> builderArgs(Path clibraries) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("-imagecp", join(List.copyOf(image.classpath()), ":")));
    args.add("-H:CLibraryPath=" + clibraries);
    args.add("-H:Path=" + work.resolve("image"));
    args.addAll(image.builderArgs());
    args.add("-H:Name=" + image.name());
    args.add("-H:ImageBuildID=" + UUID.nameUUIDFromBytes(String.join(" ", args).getBytes()));
    // The analysis only: no compilation, no image, and so no static JDK libraries needed.
    args.addAll(
        List.of(
            "-H:+UnlockExperimentalVMOptions",
            "-H:+ReturnAfterAnalysis",
            "-H:-UnlockExperimentalVMOptions"));
    return args;
  }

  /** The environment the driver gives the builder: module-path mode, a temp dir, no JVM hooks. */
  void environment(Map<String, String> env) throws IOException {
    List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH")
        .forEach(env::remove);
    env.put("USE_NATIVE_IMAGE_JAVA_PLATFORM_MODULE_SYSTEM", "true");
    env.put(
        "DRIVER_TEMP_DIR_ENV_VARIABLE", Files.createDirectories(work.resolve("tmp")).toString());
  }

  /** As the driver: the memory available now, at most 32 GB, as a share of all memory. */
  private static String maxRamPercentage() {
    try {
      long total = 0;
      long available = 0;
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        long kb = line.matches("\\w+:\\s+\\d+ kB") ? Long.parseLong(line.replaceAll("\\D", "")) : 0;
        total = line.startsWith("MemTotal:") ? kb : total;
        available = line.startsWith("MemAvailable:") ? kb : available;
      }
      if (total <= 0 || available <= 0 || available > total) {
        return "80.0";
      }
      double share = Math.min(available, 32_000_000_000L / 1024) * 100.0 / total;
      return String.format(java.util.Locale.ROOT, "%.1f", share);
    } catch (IOException e) {
      return "80.0";
    }
  }

  private static String join(List<Path> paths, String separator) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(separator));
  }

  private static String quote(String arg) {
    return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
