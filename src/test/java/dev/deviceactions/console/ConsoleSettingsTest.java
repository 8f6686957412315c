package dev.deviceactions.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in settings without a provider's client id (the test profile's default): no
 * provider sign-in, the pasted token offered (test mode), and a CSP that lets the page reach its
 * own origin only.
 */
@QuarkusTest
class ConsoleSettingsTest {

  @Test
  void withoutAClientIdTheConsoleOffersThePastedTokenOnly() {
    given()
        .get("/console/settings")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .header("Content-Security-Policy", containsString("connect-src 'self';"))
        .body("oidc", nullValue())
        .body("tokenPaste", equalTo(true));
  }

  @Test
  void theSettingsNeedNoToken() {
    given().auth().oauth2("not-a-token").get("/console/settings").then().statusCode(200);
  }
}
