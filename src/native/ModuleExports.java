import java.io.IOException;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The --add-exports the builder's modules need on a stock JDK. A GraalVM JDK exports its internal
 * packages to the builder in its own module descriptors; Temurin does not. So: every class a
 * builder module refers to in a package of a JDK module that does not export that package to it.
 */
final class ModuleExports {
  private ModuleExports() {}

  static List<String> scan(BuilderJars jars) throws IOException {
    Map<String, ModuleDescriptor> systemPackages = systemPackages();
    Map<String, Set<String>> needed = new TreeMap<>(); // "module/package" -> builder modules
    for (String module : jars.descriptors().keySet()) {
      jars.forEachClass(module, model -> collect(model, module, systemPackages, needed));
    }
    List<String> result = new ArrayList<>();
    needed.forEach(
        (pkg, targets) -> result.add("--add-exports=" + pkg + "=" + String.join(",", targets)));
    return result;
  }

  private static void collect(
      ClassModel model,
      String module,
      Map<String, ModuleDescriptor> systemPackages,
      Map<String, Set<String>> needed) {
    for (PoolEntry entry : model.constantPool()) {
      if (entry instanceof ClassEntry c) {
        String pkg = packageOf(c.asInternalName());
        ModuleDescriptor owner = pkg == null ? null : systemPackages.get(pkg);
        if (owner != null && !exportsTo(owner, pkg, module)) {
          needed.computeIfAbsent(owner.name() + "/" + pkg, k -> new TreeSet<>()).add(module);
        }
      }
    }
  }

  private static String packageOf(String internalName) {
    String name = internalName.replaceFirst("^\\[+L?", "").replace(";", "");
    int slash = name.lastIndexOf('/');
    return slash < 0 ? null : name.substring(0, slash).replace('/', '.');
  }

  private static boolean exportsTo(ModuleDescriptor owner, String pkg, String module) {
    return owner.exports().stream()
        .anyMatch(
            e -> e.source().equals(pkg) && (!e.isQualified() || e.targets().contains(module)));
  }

  /** Packages of the running JDK's modules, less the Graal compiler the builder replaces. */
  private static Map<String, ModuleDescriptor> systemPackages() {
    Map<String, ModuleDescriptor> result = new HashMap<>();
    for (ModuleReference ref : ModuleFinder.ofSystem().findAll()) {
      ModuleDescriptor d = ref.descriptor();
      if (!d.name().startsWith(BuilderJars.COMPILER_MODULE)) {
        d.packages().forEach(p -> result.put(p, d));
      }
    }
    return result;
  }
}
