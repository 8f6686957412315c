import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The throwaway PostgreSQL cluster run.sh created: SQL through psql (the checks read the tables
 * themselves, not the API), and stop / start / restart through pg_ctl as the cluster's owner.
 */
final class Postgres {
  private final Settings settings;

  Postgres(Settings settings) {
    this.settings = settings;
  }

  /** Rows of a query, columns separated by '|'; fails on any SQL error. */
  List<String> query(String sql) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                settings.pgBin().resolve("psql").toString(),
                "-X",
                "-q",
                "-At",
                "-F",
                "|",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "localhost",
                "-p",
                Integer.toString(settings.dbPort()),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-f",
                "-")
            .redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", "postgres");
    Process p = builder.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(sql.getBytes(StandardCharsets.UTF_8));
    }
    List<String> rows = App.lines(p);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql failed: " + String.join("\n", rows) + "\nSQL: " + sql);
    }
    return rows;
  }

  long count(String sql) throws IOException, InterruptedException {
    return Long.parseLong(query(sql).getFirst().trim());
  }

  void stop() throws IOException, InterruptedException {
    pgCtl("-m fast -w stop");
  }

  void start() throws IOException, InterruptedException {
    pgCtl("-o '-p " + settings.dbPort() + " -k " + socketDir() + "' -l " + logFile() + " -w start");
  }

  void restart() throws IOException, InterruptedException {
    pgCtl(
        "-o '-p "
            + settings.dbPort()
            + " -k "
            + socketDir()
            + "' -l "
            + logFile()
            + " -m fast -w restart");
  }

  private void pgCtl(String arguments) throws IOException, InterruptedException {
    String command =
        settings.pgBin().resolve("pg_ctl") + " -D " + settings.pgData() + " " + arguments;
    List<String> argv = new ArrayList<>();
    // PostgreSQL refuses to run as root: the cluster belongs to nobody when we are root.
    if ("root".equals(System.getProperty("user.name"))) {
      argv.addAll(List.of("su", "nobody", "-s", "/bin/sh", "-c", command));
    } else {
      argv.addAll(List.of("/bin/sh", "-c", command));
    }
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    List<String> out = App.lines(p);
    if (p.waitFor() != 0) {
      List<String> log = Files.readAllLines(Path.of(logFile()));
      throw new IllegalStateException(
          "pg_ctl "
              + arguments
              + " failed: "
              + String.join("\n", out)
              + "\nlog: "
              + String.join("\n", log.subList(Math.max(0, log.size() - 5), log.size())));
    }
  }

  private String socketDir() {
    return settings.pgData().getParent().toString();
  }

  private String logFile() {
    return settings.pgData().getParent().resolve("postgres.log").toString();
  }
}
