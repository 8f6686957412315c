import java.util.ArrayList;
import java.util.List;

/** One scenario's outcome: its figures and every failed expectation; PASS when there is none. */
final class Report {
  final String name;
  final List<String> figures = new ArrayList<>();
  final List<String> failures = new ArrayList<>();
  double seconds;

  Report(String name) {
    this.name = name;
  }

  Report figure(String format, Object... args) {
    figures.add(String.format(format, args));
    return this;
  }

  /** Records a failure unless {@code ok}; the message says what was expected and what was seen. */
  boolean expect(boolean ok, String format, Object... args) {
    if (!ok) {
      failures.add(String.format(format, args));
    }
    return ok;
  }

  boolean passed() {
    return failures.isEmpty();
  }

  void print() {
    System.out.printf("%s  %s  (%.1f s)%n", passed() ? "PASS" : "FAIL", name, seconds);
    figures.forEach(f -> System.out.println("      " + f));
    failures.stream().limit(15).forEach(f -> System.out.println("    ! " + f));
    if (failures.size() > 15) {
      System.out.println("    ! ... and " + (failures.size() - 15) + " more failures");
    }
    System.out.flush();
  }

  static String percentiles(List<Long> millis) {
    if (millis.isEmpty()) {
      return "no samples";
    }
    List<Long> sorted = millis.stream().sorted().toList();
    return String.format(
        "p50 %d ms, p99 %d ms, max %d ms",
        sorted.get(sorted.size() / 2),
        sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
        sorted.getLast());
  }
}
