package dev.deviceactions.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the browser tests of src/e2e (Playwright driving Debian's chromium) to its end, its
 * output echoed with {@code [e2e]} in front, and fails the calling test unless it passed.
 */
final class BrowserTest {
  static final Path OUT = Path.of("target/e2e");

  private BrowserTest() {}

  static void run(List<String> command) throws IOException, InterruptedException {
    assertTrue(
        Files.isDirectory(Path.of("src/e2e/node_modules/playwright-core")),
        "playwright-core is not installed: run npm ci --prefix src/e2e (and apt-get install chromium)");
    Process browserTest = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread output = Thread.ofVirtual().start(() -> echo(browserTest.inputReader()));
    boolean finished = browserTest.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      browserTest.destroyForcibly();
    }
    output.join(10_000);
    assertTrue(finished, "the browser test did not finish in 4 minutes");
    assertEquals(0, browserTest.exitValue(), "the browser test failed; see its output above");
  }

  private static void echo(BufferedReader lines) {
    lines.lines().forEach(line -> System.out.println("[e2e] " + line));
  }
}
