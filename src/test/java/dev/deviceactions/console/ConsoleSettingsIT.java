package dev.deviceactions.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, a production build even under the test profile's settings, never offers
 * to paste a token: that stays with dev and test mode (ConsoleSettingsTest).
 */
@QuarkusIntegrationTest
class ConsoleSettingsIT {

  @Test
  void aProductionBuildOffersNoPastedToken() {
    given()
        .get("/console/settings")
        .then()
        .statusCode(200)
        .body("tokenPaste", equalTo(false))
        .body("oidc", nullValue());
  }
}
