import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Debian's gcc, which the builder runs to query its C headers (apt-get install gcc libc6-dev). */
final class Gcc {
  private final Path work;

  Gcc(Path work) {
    this.work = work;
  }

  void checkInstalled() throws IOException, InterruptedException {
    Path probe = work.resolve("probe.c");
    Files.writeString(probe, "#include <stdio.h>\nint main(void) { return 0; }\n");
    if (run(List.of("gcc", "-c", "-o", "/dev/null", probe.toString())) != 0) {
      throw new IllegalStateException(
          "gcc cannot compile against the C library headers: apt-get install gcc libc6-dev");
    }
  }

  /** Compiles a translation unit that includes {@code header}; fails if it does not compile. */
  void checkCompiles(Path header) throws IOException {
    Path unit = work.resolve(header.getFileName() + ".c");
    Files.writeString(unit, "#include \"" + header + "\"\nint main(void) { return 0; }\n");
    try {
      if (run(List.of("gcc", "-c", "-o", "/dev/null", unit.toString())) != 0) {
        throw new IllegalStateException("the generated header " + header + " does not compile");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    try {
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("no gcc on PATH: apt-get install gcc libc6-dev", e);
    }
  }
}
