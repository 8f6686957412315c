package dev.deviceactions.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Documents on every operation the problem+json answers that {@link ProblemMapper} gives, each with
 * an example, so clients see the error contract next to the success one. It runs at build time: the
 * document is fixed by the code, so no instance spends start-up time on it.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiProblems implements OASFilter {
  private static final String SCHEMA = "#/components/schemas/Problem";

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    openApi.getComponents().addSchema("Problem", problemSchema());
    openApi
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) ->
                item.getOperations().forEach((method, op) -> document(path, method, op)));
  }

  private static void document(String path, PathItem.HttpMethod method, Operation operation) {
    for (ProblemCode code : codesFor(path, method)) {
      String status = String.valueOf(code.status);
      if (operation.getResponses().hasAPIResponse(status)) {
        continue;
      }
      operation
          .getResponses()
          .addAPIResponse(
              status,
              OASFactory.createAPIResponse()
                  .description(code.title)
                  .content(
                      OASFactory.createContent()
                          .addMediaType(
                              Problem.MEDIA_TYPE,
                              OASFactory.createMediaType()
                                  .schema(OASFactory.createSchema().ref(SCHEMA))
                                  .example(example(code)))));
    }
  }

  /** The example body, as a map: the OpenAPI writer serializes maps, not records. */
  private static Map<String, Object> example(ProblemCode code) {
    Problem problem = Problem.of(code, code.title + ".", null, null);
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("type", problem.type());
    example.put("title", problem.title());
    example.put("status", problem.status());
    example.put("detail", problem.detail());
    example.put("code", problem.code());
    return example;
  }

  /** Which refusals an operation can give, from what the contract says of it. */
  static List<ProblemCode> codesFor(String path, PathItem.HttpMethod method) {
    Map<ProblemCode, Boolean> codes = new LinkedHashMap<>();
    codes.put(ProblemCode.invalidRequest, true);
    codes.put(ProblemCode.unauthorized, true);
    codes.put(ProblemCode.forbidden, path.startsWith("/api/"));
    codes.put(ProblemCode.deviceNotFound, path.contains("/devices/{id}"));
    codes.put(ProblemCode.actionNotFound, path.contains("actions/{"));
    codes.put(ProblemCode.recoveryPinOutstanding, path.endsWith("/remoteLock"));
    codes.put(ProblemCode.actionNotCancelable, path.endsWith("/cancel"));
    codes.put(ProblemCode.actionAlreadyCompleted, path.endsWith("/result"));
    codes.put(ProblemCode.payloadTooLarge, method == PathItem.HttpMethod.POST);
    codes.put(ProblemCode.unsupportedMediaType, method == PathItem.HttpMethod.POST);
    boolean action = path.startsWith("/api/v1/devices/{id}/") && !path.endsWith("/secrets");
    codes.put(ProblemCode.actionNotSupported, action);
    codes.put(ProblemCode.idempotencyKeyReused, action);
    codes.put(ProblemCode.serviceUnavailable, true);
    return codes.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  private static Schema problemSchema() {
    Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description("RFC 9457 problem details with this API's stable code")
        .addProperty("type", string)
        .addProperty("title", string)
        .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
        .addProperty("detail", string)
        .addProperty("code", string)
        .addProperty("reason", string)
        .addProperty(
            "errors",
            OASFactory.createSchema()
                .addType(Schema.SchemaType.ARRAY)
                .items(
                    OASFactory.createSchema()
                        .addType(Schema.SchemaType.OBJECT)
                        .addProperty("field", string)
                        .addProperty("message", string)));
  }
}
