package dev.deviceactions.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The admin console's static files: served without a token under a CSP that forbids inline script,
 * with the page's landmarks, while the API behind it still needs the token.
 */
@QuarkusTest
class ConsoleTest {
  static final Path FILES = Path.of("src/main/resources/META-INF/resources/console");

  @Test
  void theConsoleIsServedWithoutATokenUnderAStrictContentSecurityPolicy() {
    given()
        .get("/console/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header(
            "Content-Security-Policy",
            allOf(
                containsString("default-src 'none'"),
                containsString("script-src 'self';"),
                containsString("connect-src 'self'"),
                containsString("frame-ancestors 'none'"),
                not(containsString("unsafe-inline")),
                not(containsString("unsafe-eval"))))
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer");
  }

  @Test
  void theAddressWithoutSlashLeadsToTheConsole() {
    given()
        .redirects()
        .follow(false)
        .get("/console")
        .then()
        .statusCode(301)
        .header("Location", endsWith("/console/"));
  }

  @Test
  void thePageHasLandmarksAndNoInlineScriptStyleOrHandler() {
    String html = given().get("/console/").then().statusCode(200).extract().asString();
    for (String landmark :
        List.of(
            "<html lang=\"en\">",
            "<header class=\"top\">",
            "<nav aria-label=\"Main\">",
            "<main id=\"main\" tabindex=\"-1\">",
            "<footer",
            "href=\"#main\"",
            "<script type=\"module\" src=\"js/app.js\"></script>")) {
      assertTrue(html.contains(landmark), "the page lacks " + landmark);
    }
    assertEquals(1, count(html, "<script"), "one script, the module app.js");
    assertFalse(html.contains("<style") || html.contains(" style="), "inline style");
    assertFalse(Pattern.compile("\\son[a-z]+=").matcher(html).find(), "inline event handler");
  }

  @Test
  void everyAssetIsServedWithTheCspAndItsType() throws IOException {
    for (Path file : assets()) {
      String path = "/console/" + FILES.relativize(file).toString().replace('\\', '/');
      given()
          .get(path)
          .then()
          .statusCode(200)
          .contentType(containsString(typeOf(file)))
          .header("Content-Security-Policy", containsString("script-src 'self'"));
    }
  }

  @Test
  void everyModuleImportResolvesToAFileOfTheConsole() throws IOException {
    Pattern imports = Pattern.compile("from '(\\./[^']+)'");
    for (Path script : assets().stream().filter(f -> f.toString().endsWith(".js")).toList()) {
      Matcher m = imports.matcher(Files.readString(script));
      while (m.find()) {
        Path target = script.resolveSibling(m.group(1)).normalize();
        assertTrue(Files.isRegularFile(target), script + " imports a missing " + m.group(1));
      }
    }
  }

  @Test
  void scriptsNeverParseDataAsHtml() throws IOException {
    List<String> forbidden =
        List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
    for (Path script : assets().stream().filter(f -> f.toString().endsWith(".js")).toList()) {
      String code = Files.readString(script);
      for (String sink : forbidden) {
        assertFalse(code.contains(sink), script + " uses " + sink);
      }
    }
  }

  @Test
  void theVendoredClientLibraryIsTheFileItsLicenseNamesByVersionAndChecksum() throws Exception {
    Path vendor = FILES.resolve("js/vendor");
    String notice = Files.readString(vendor.resolve("oauth4webapi.LICENSE.txt"));
    String code = Files.readString(vendor.resolve("oauth4webapi.js"));
    Matcher version = Pattern.compile("^oauth4webapi (\\S+) ").matcher(notice);
    assertTrue(version.find(), "the notice names the version");
    assertTrue(code.contains("const VERSION = 'v" + version.group(1) + "';"), "the file's version");
    String sha256 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(vendor.resolve("oauth4webapi.js"))));
    assertTrue(notice.contains("sha256 " + sha256 + "."), "the notice's checksum is the file's");
    assertTrue(notice.contains("The MIT License"), "the license goes with the file");
  }

  @Test
  void theApiBehindTheConsoleStillNeedsTheToken() {
    given()
        .get("/api/v1/devices")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("unauthorized"));
  }

  private static List<Path> assets() throws IOException {
    try (Stream<Path> files = Files.walk(FILES)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String typeOf(Path file) {
    String name = file.getFileName().toString();
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html";
      case "js" -> "javascript";
      case "css" -> "text/css";
      case "svg" -> "image/svg+xml";
      case "txt" -> "text/plain";
      default -> throw new IllegalStateException("no expected type for " + name);
    };
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
