package dev.deviceactions.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document: every operation shows its problem answers and the roles it needs. */
@QuarkusTest
class OpenApiTest {

  @Test
  void everyOperationDocumentsItsProblemsAndItsSecurity() {
    JsonPath doc =
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
    assertFalse(paths.isEmpty());
    paths.forEach(
        (path, operations) ->
            operations.forEach(
                (method, operation) -> {
                  if (!path.startsWith("/api/")
                      && !path.startsWith("/agent/")
                      && !path.startsWith("/graph/")) {
                    return;
                  }
                  Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
                  for (String status : List.of("400", "401")) {
                    assertTrue(
                        responses.containsKey(status), method + " " + path + " lacks " + status);
                  }
                  assertTrue(
                      operation.containsKey("security"), method + " " + path + " lacks security");
                }));
  }

  @Test
  void remoteLockDocumentsTheGuardTheMatrixAndItsRole() {
    JsonPath doc =
        given().queryParam("format", "json").get("/q/openapi").then().extract().jsonPath();
    String op = "paths.'/api/v1/devices/{id}/remoteLock'.post";
    assertEquals(
        "recoveryPinOutstanding",
        doc.getString(op + ".responses.'409'.content.'application/problem+json'.example.code"));
    assertEquals(
        "actionNotSupported",
        doc.getString(op + ".responses.'422'.content.'application/problem+json'.example.code"));
    assertTrue(
        doc.getString(op + ".security").contains("actions.remoteLock"),
        doc.getString(op + ".security"));
  }

  @Test
  void theGraphRoutesAreListedWithGraphsErrorShape() {
    JsonPath doc =
        given().queryParam("format", "json").get("/q/openapi").then().extract().jsonPath();
    Map<String, Object> paths = doc.getMap("paths");
    for (String version : List.of("v1.0", "beta")) {
      String base = "/graph/" + version + "/deviceManagement/managedDevices";
      for (String path :
          List.of(
              base,
              base + "/{id}",
              base + "/{id}/remoteLock",
              base + "/{id}/resetPasscode",
              base + "/{id}/rebootNow")) {
        assertTrue(paths.containsKey(path), path + " is not in the OpenAPI document");
      }
    }
    assertTrue(paths.containsKey("/graph/beta/deviceManagement/remoteActionAudits"));
    assertTrue(paths.containsKey("/graph/beta/deviceManagement/managedDevices/executeAction"));
    String lock = "paths.'/graph/v1.0/deviceManagement/managedDevices/{id}/remoteLock'.post";
    assertEquals(
        "actionNotSupported",
        doc.getString(lock + ".responses.'422'.content.'application/json'.example.error.code"));
    assertTrue(doc.getString(lock + ".security").contains("actions.remoteLock"));
    assertTrue(doc.getMap(lock + ".responses").containsKey("204"), lock);
    String list = "paths.'/graph/beta/deviceManagement/managedDevices'.get";
    assertTrue(doc.getString(list + ".security").contains("devices.read"));
    assertEquals(
        "unauthorized",
        doc.getString(list + ".responses.'401'.content.'application/json'.example.error.code"));
  }
}
