package dev.deviceactions.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deviceactions.support.Api;
import dev.deviceactions.support.Approvals;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The administrator's path through the console in a real browser: src/e2e/console.e2e.mjs drives
 * Debian's chromium with Playwright against this app. Runs with {@code -De2e=true} (.ci/run sets
 * it); {@code -De2e.docs=true} also copies the screenshots to src/docs/screenshots for README.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "e2e", matches = "true", disabledReason = "runs with -De2e=true")
class ConsoleE2ETest {
  static final Path OUT = BrowserTest.OUT;

  @Test
  void anAdministratorLocksAMacReadsItsPinAndFollowsTheActions() throws Exception {
    try {
      BrowserTest.run(command(ConsoleFleet.enroll()));
    } finally {
      Approvals.removeAllPolicies(); // the browser test creates one on its way
    }
    for (String screenshot :
        List.of("device-overview.png", "device-actions.png", "approvals.png")) {
      assertTrue(Files.size(OUT.resolve(screenshot)) > 20_000, screenshot + " is missing or empty");
    }
  }

  private static List<String> command(ConsoleFleet fleet) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "node",
                "src/e2e/console.e2e.mjs",
                "http://localhost:" + RestAssured.port,
                Api.token("admin@example.com", "admin"),
                "--tag",
                fleet.tag(),
                "--mac",
                fleet.mac(),
                "--pc",
                fleet.pc(),
                "--reader-token",
                Api.token("helpdesk@example.com", "devices.read"),
                "--mdm",
                fleet.mdm(),
                "--mdm-udid",
                fleet.mdmUdid(),
                "--approver-token",
                Api.token("approver@example.com", "admin"),
                "--out",
                OUT.toString()));
    if (Boolean.getBoolean("e2e.docs")) {
      command.addAll(List.of("--docs", "src/docs/screenshots"));
    }
    return command;
  }
}
