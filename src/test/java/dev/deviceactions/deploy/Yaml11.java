package dev.deviceactions.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads YAML the way Kubernetes does (YAML 1.1, where a bare off, yes or 8080 is a boolean or a
 * number) to find values Kubernetes needs as strings but would get as something else.
 */
final class Yaml11 {
  /** Maps whose every value Kubernetes wants as a string. */
  private static final Set<String> STRING_MAPS =
      Set.of("data", "stringData", "labels", "annotations", "matchLabels");

  private Yaml11() {}

  /** Where {@code file} has such a value, as "file.path.to.key = value". */
  static List<String> nonStrings(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      return nonStrings(reader, file.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same for YAML text, such as a kustomization's inline patch; {@code where} names it. */
  static List<String> nonStrings(String yaml, String where) {
    return nonStrings(new StringReader(yaml), where);
  }

  private static List<String> nonStrings(Reader reader, String where) {
    var problems = new ArrayList<String>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
      find(document, where, problems);
    }
    return problems;
  }

  private static void find(Object node, String where, List<String> problems) {
    if (node instanceof List<?> list) {
      list.forEach(item -> find(item, where, problems));
    } else if (node instanceof Map<?, ?> map) {
      map.forEach(
          (key, value) -> {
            String at = where + "." + key;
            if (STRING_MAPS.contains(key) && value instanceof Map<?, ?> strings) {
              strings.forEach((k, v) -> addIfNotString(v, at + "." + k, problems));
            } else if ("env".equals(key) && value instanceof List<?> env) {
              env.forEach(e -> addIfNotString(((Map<?, ?>) e).get("value"), at, problems));
            } else {
              find(value, at, problems);
            }
          });
    }
  }

  private static void addIfNotString(Object value, String where, List<String> problems) {
    if (value != null && !(value instanceof String)) {
      problems.add(where + " = " + value);
    }
  }
}
