import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Native analysis without GraalVM: runs GraalVM's native-image builder, from Maven Central's jars,
 * on this JDK (Temurin 25) over Quarkus' native sources in analysis-only mode
 * (-H:+ReturnAfterAnalysis), and fails on any analysis error, such as an object in the image heap
 * that a native image cannot hold. What the unpublished native-image driver would do is done by the
 * classes beside this one. Started by src/native/analysis.sh.
 *
 * <p>Usage: java src/native/NativeAnalysis.java NATIVE_SOURCES BUILDER_JARS PATCH_SOURCES WORK
 * (NATIVE_ANALYSIS_DRY_RUN=1 prepares everything and prints the builder's command instead).
 */
public final class NativeAnalysis {
  private static final Pattern REACHABLE =
      Pattern.compile(
          "\\s*([\\d,]+) types,\\s+([\\d,]+) fields, and\\s+([\\d,]+) methods found reachable");
  private static final List<String> FAILURE_MARKERS =
      List.of("Fatal error", "Error: ", "Helper library for ProgressReporterCHelper not available");

  private NativeAnalysis() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length != 4) {
      System.err.println(
          "usage: java NativeAnalysis.java NATIVE_SOURCES BUILDER_JARS PATCH_SOURCES WORK");
      System.exit(2);
    }
    long started = System.nanoTime();
    Path sources = Path.of(argv[0]).toAbsolutePath();
    Path work = fresh(Path.of(argv[3]).toAbsolutePath());
    BuilderJars jars = BuilderJars.in(Path.of(argv[1]));
    Gcc gcc = new Gcc(work);
    gcc.checkInstalled();
    List<String> headers = CHeaders.write(jars, work.resolve("clibraries"), gcc);
    Path patch = ProgressPatch.compile(Path.of(argv[2]), work.resolve("patch"), jars);
    MetaInf.checkOptions(jars);
    ApiOptions api = ApiOptions.read(jars);
    ImageArgs image = ImageArgs.read(sources.resolve("native-image.args"), api);
    List<String> exports = ModuleExports.scan(jars);
    System.out.printf(
        "native analysis: builder %s (%d jars, %d API options), %d add-exports, headers %s,%n"
            + "  image %s: %d class-path entries, %d metadata files applied, %d excluded %s%n",
        jars.version(),
        jars.all().size(),
        api.size(),
        exports.size(),
        headers,
        image.name(),
        image.classpath().size(),
        image.metaInf().applied().size(),
        image.metaInf().excluded().size(),
        image.metaInf().excluded());
    BuilderCommand command = new BuilderCommand(jars, image, work);
    List<String> cmd = command.write(exports, patch, work.resolve("clibraries"));
    if ("1".equals(System.getenv("NATIVE_ANALYSIS_DRY_RUN"))) {
      System.out.println(
          "native analysis: dry run, the builder would run as: " + String.join(" ", cmd));
      return;
    }
    boolean passed = run(cmd, command, sources, work.resolve("builder.log"));
    System.out.printf(
        "native analysis: %s in %d s (log: %s)%n",
        passed ? "PASSED" : "FAILED",
        (System.nanoTime() - started) / 1_000_000_000L,
        work.resolve("builder.log"));
    System.exit(passed ? 0 : 1);
  }

  private static boolean run(List<String> cmd, BuilderCommand command, Path dir, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    command.environment(pb.environment());
    Process process = pb.start();
    String reachable = null;
    List<String> errors = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
      for (String line; (line = in.readLine()) != null; ) {
        System.out.println(line);
        out.println(line);
        Matcher m = REACHABLE.matcher(line);
        if (m.matches()) {
          reachable = m.group(1) + " types, " + m.group(2) + " fields, " + m.group(3) + " methods";
        }
        if (FAILURE_MARKERS.stream().anyMatch(line::contains)) {
          errors.add(line.trim());
        }
      }
    }
    int status = process.waitFor();
    System.out.println("native analysis: builder exit " + status + ", reachable " + reachable);
    errors.forEach(e -> System.out.println("native analysis: error: " + e));
    return status == 0 && errors.isEmpty() && reachable != null;
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
