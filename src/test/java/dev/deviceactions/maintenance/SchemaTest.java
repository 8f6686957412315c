package dev.deviceactions.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The schema version serving instances wait for is the newest migration this build ships. */
class SchemaTest {

  @Test
  void expectedVersionIsTheNewestMigration() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      int newest =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.*\\.sql"))
              .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .max(Comparator.naturalOrder())
              .orElseThrow();
      assertEquals(String.valueOf(newest), Schema.VERSION);
    }
  }
}
