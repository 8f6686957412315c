package dev.deviceactions.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test callers of the API: admin tokens, tokens with given roles, devices enrolled for a test. */
public final class Api {
  private Api() {}

  /** The test key pair signs test tokens; the app under test trusts its public half (TestKeys). */
  public static final String ISSUER = TestKeys.ISSUER;

  private static PrivateKey signingKey;

  public static String token(String upn, String... groups) {
    return Jwt.upn(upn).groups(Set.of(groups)).issuer(ISSUER).sign(signingKey());
  }

  /**
   * A token as Entra ID issues it to a Graph client: Graph permission names as app roles ({@code
   * roles}) or delegated scopes ({@code scp}, space-separated), no {@code groups}.
   */
  public static String graphToken(String upn, List<String> roles, String scp) {
    var claims = Jwt.upn(upn).issuer(ISSUER);
    if (!roles.isEmpty()) {
      claims.claim("roles", roles);
    }
    if (scp != null) {
      claims.claim("scp", scp);
    }
    return claims.sign(signingKey());
  }

  public static synchronized PrivateKey signingKey() {
    try {
      if (signingKey == null) {
        signingKey = KeyUtils.readPrivateKey(TestKeys.PRIVATE_KEY);
      }
      return signingKey;
    } catch (Exception e) {
      throw new IllegalStateException(
          "the test signing key src/test/resources/" + TestKeys.PRIVATE_KEY, e);
    }
  }

  public static RequestSpecification as(String... groups) {
    return given().auth().oauth2(token("alice@example.com", groups));
  }

  public static RequestSpecification asAdmin() {
    return as("admin");
  }

  /**
   * POSTs a JSON body after {@code Expect: 100-continue}, as clients send large bodies: a server
   * that refuses the body at once (413) is then read, not cut off mid-body by a broken pipe.
   */
  public static HttpResponse<String> postLargeJson(String path, String token, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .expectContinue(true)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }

  public static RequestSpecification asDevice(EnrolledDevice device) {
    return given().auth().oauth2(device.token());
  }

  /** A device as enrollment returned it: its id and its one-time agent token. */
  public record EnrolledDevice(String id, String token) {}

  /** Enrolls a device; {@code facts} override the defaults of a passcode-protected Mac. */
  public static EnrolledDevice enroll(Map<String, Object> facts) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", "device-" + System.nanoTime());
    body.put("platform", "macOS");
    body.put("osVersion", "14.2");
    body.put("passcodeSet", true);
    body.putAll(facts);
    Response response =
        asAdmin()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/devices")
            .then()
            .statusCode(201)
            .extract()
            .response();
    return new EnrolledDevice(response.path("id"), response.path("deviceToken"));
  }

  public static EnrolledDevice mac() {
    return enroll(Map.of());
  }

  /** A Windows 10/11 PC: it supports rebootNow and nothing that needs a passcode. */
  public static EnrolledDevice windows() {
    return enroll(Map.of("platform", "windows", "osVersion", "10.0"));
  }

  /** Requests {@code action} on the device as an admin and returns the new action's id. */
  public static String request(EnrolledDevice device, String action) {
    return asAdmin()
        .post("/api/v1/devices/" + device.id() + "/" + action)
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  /**
   * One field of what the device overview displays, e.g. {@code recoveryPin.value}, read as an
   * admin.
   */
  public static String secret(EnrolledDevice device, String path) {
    return asAdmin().get("/api/v1/devices/" + device.id() + "/secrets").then().extract().path(path);
  }

  public static EnrolledDevice android(String mode, String osVersion) {
    return enroll(Map.of("platform", "android", "managementMode", mode, "osVersion", osVersion));
  }
}
