import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Enrolls devices through the API, concurrently, for the scenarios to act on. */
final class Fleet {
  /** An enrolled device: its id and its one-time agent token. */
  record Device(String id, String token) {}

  static final String WINDOWS = "\"platform\":\"windows\",\"osVersion\":\"10.0\"";
  static final String MAC = "\"platform\":\"macOS\",\"osVersion\":\"14.2\",\"passcodeSet\":true";

  private Fleet() {}

  static List<Device> enroll(Api api, String adminToken, String facts, String prefix, int count)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Device>> enrolled = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String body = "{\"name\":\"" + prefix + "-" + i + "\"," + facts + "}";
        enrolled.add(pool.submit(() -> enrollOne(api, adminToken, body)));
      }
      List<Device> devices = new ArrayList<>();
      for (Future<Device> f : enrolled) {
        devices.add(f.get());
      }
      return Collections.unmodifiableList(devices);
    } finally {
      pool.shutdown();
    }
  }

  private static Device enrollOne(Api api, String adminToken, String body) {
    Api.Answer a = api.postJson("/api/v1/devices", adminToken, body);
    if (a.status() != 201) {
      throw new IllegalStateException("enrollment failed: " + a);
    }
    return new Device(a.field("id"), a.field("deviceToken"));
  }
}
