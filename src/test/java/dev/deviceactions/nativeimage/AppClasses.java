package dev.deviceactions.nativeimage;

import dev.deviceactions.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * The application's own compiled classes (what javac wrote to target/classes), loaded without
 * running their static initializers, and their bytecode.
 */
final class AppClasses {
  static final String PACKAGE = "dev.deviceactions";

  private AppClasses() {}

  static List<Class<?>> all() {
    Path root = root();
    try (Stream<Path> files = Files.walk(root.resolve(PACKAGE.replace('.', '/')))) {
      return files
          .map(root::relativize)
          .map(Path::toString)
          .filter(name -> name.endsWith(".class") && !name.endsWith("package-info.class"))
          .sorted()
          .<Class<?>>map(name -> load(name.substring(0, name.length() - 6).replace('/', '.')))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isApp(Class<?> type) {
    return type.getName().startsWith(PACKAGE + ".");
  }

  static Class<?> load(String name) {
    try {
      return Class.forName(name, false, AppClasses.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("cannot load " + name, e);
    }
  }

  /** The class as ASM reads it, with its method bodies. */
  static ClassNode bytecode(Class<?> type) {
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      ClassNode node = new ClassNode();
      new ClassReader(in).accept(node, ClassReader.SKIP_FRAMES);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path root() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
