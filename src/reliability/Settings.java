import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What run.sh hands the driver (--name=value arguments): the jar, the ports, the PostgreSQL cluster
 * it created, the mode, which sets how big each scenario is, and which scenarios to run (--only).
 */
record Settings(
    boolean full,
    Path jar,
    int appPort,
    int dbPort,
    Path pgBin,
    Path pgData,
    Path work,
    Path keys,
    Scale scale,
    List<Integer> only) {

  /**
   * Counts per scenario; --short keeps CI under about three minutes (it sweeps over HTTP only: two
   * one-shot `sweep` JVMs cost half a minute on a busy 2-core machine).
   */
  record Scale(
      int burstWindows,
      int burstMacs,
      int burstRequests,
      int burstClients,
      int killRounds,
      int outageClients,
      int outageWaiters,
      int[] outageSeconds,
      int lockRounds,
      int sweepRows,
      boolean commandSweeps,
      int stormRequests,
      int stormClients,
      int lostWakeUpDevices) {}

  static final Scale SHORT =
      new Scale(200, 100, 3_000, 32, 1, 8, 20, new int[] {3}, 3, 2_000, false, 2_000, 8, 40);

  /** outageSeconds 0 is `pg_ctl restart -m fast`: down and up again in one step. */
  static final Scale FULL =
      new Scale(
          1_000, 500, 20_000, 64, 3, 16, 50, new int[] {5, 1, 0, 0}, 20, 20_000, true, 10_000,
          16, 200);

  static Settings parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    boolean full = !"short".equals(a.get("mode"));
    return new Settings(
        full,
        Path.of(a.get("jar")),
        Integer.parseInt(a.get("app-port")),
        Integer.parseInt(a.get("db-port")),
        Path.of(a.get("pg-bin")),
        Path.of(a.get("pg-data")),
        Path.of(a.get("work")),
        Path.of(a.get("keys")),
        full ? FULL : SHORT,
        Arrays.stream(a.getOrDefault("only", "1,2,3,4,5,6,7,8").split(",")).map(Integer::valueOf).toList());
  }
}
