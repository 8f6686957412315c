package dev.deviceactions.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** `kubectl kustomize`, where kubectl is installed: renders a kustomization without any cluster. */
final class Kubectl {
  private Kubectl() {}

  static boolean installed() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl")));
  }

  /** The YAML that `kubectl apply -k deploy/{dir}` would apply. */
  static String kustomize(String dir) throws IOException, InterruptedException {
    return kustomize(Manifests.DEPLOY.resolve(dir));
  }

  /** The YAML that `kubectl apply -k {dir}` would apply, for a kustomization anywhere. */
  static String kustomize(Path dir) throws IOException, InterruptedException {
    var errors = Files.createTempFile("kustomize", ".err");
    try {
      var process =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(errors.toFile())
              .start();
      String rendered = new String(process.getInputStream().readAllBytes(), UTF_8);
      if (!process.waitFor(60, SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "kubectl kustomize " + dir + ": " + Files.readString(errors));
      }
      return rendered;
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
