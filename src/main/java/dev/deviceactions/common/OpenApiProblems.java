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
  private static final String GRAPH_SCHEMA = "#/components/schemas/GraphError";

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    openApi.getComponents().addSchema("Problem", problemSchema());
    openApi.getComponents().addSchema("GraphError", graphErrorSchema());
    openApi
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) ->
                item.getOperations().forEach((method, op) -> document(path, method, op)));
  }

  private static void document(String path, PathItem.HttpMethod method, Operation operation) {
    boolean graph = ProblemMapper.isGraph(path);
    for (ProblemCode code : codesFor(path, method)) {
      String status = String.valueOf(code.status);
      // Keep what an endpoint documents itself; the security scanner's bare 401/403 get a body.
      var documented = operation.getResponses().getAPIResponse(status);
      if (documented != null && documented.getContent() != null) {
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
                              graph ? "application/json" : Problem.MEDIA_TYPE,
                              OASFactory.createMediaType()
                                  .schema(
                                      OASFactory.createSchema().ref(graph ? GRAPH_SCHEMA : SCHEMA))
                                  .example(graph ? graphExample(code) : example(code)))));
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

  /** Graph's error shape for the same code. */
  private static Map<String, Object> graphExample(ProblemCode code) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("date", "2026-11-22T10:15:30Z");
    inner.put("request-id", "7f6d2a4e-0c1b-4c3e-9a8d-2b5e6f7a8b9c");
    inner.put("client-request-id", "7f6d2a4e-0c1b-4c3e-9a8d-2b5e6f7a8b9c");
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.name());
    error.put("message", code.title + ".");
    error.put("innerError", inner);
    return Map.of("error", error);
  }

  /** Which refusals an operation can give, from what the contract says of it. */
  static List<ProblemCode> codesFor(String path, PathItem.HttpMethod method) {
    Map<ProblemCode, Boolean> codes = new LinkedHashMap<>();
    codes.put(ProblemCode.invalidRequest, true);
    codes.put(ProblemCode.unauthorized, true);
    codes.put(ProblemCode.forbidden, path.startsWith("/api/") || ProblemMapper.isGraph(path));
    codes.put(
        ProblemCode.deviceNotFound,
        path.contains("/devices/{id}") || path.contains("/managedDevices/{id}"));
    codes.put(ProblemCode.actionNotFound, path.contains("actions/{"));
    codes.put(ProblemCode.recoveryPinOutstanding, path.endsWith("/remoteLock"));
    codes.put(
        ProblemCode.actionNotCancelable,
        path.startsWith("/api/v1/device-actions/") && path.endsWith("/cancel"));
    codes.put(ProblemCode.actionAlreadyCompleted, path.endsWith("/result"));
    codes.put(ProblemCode.payloadTooLarge, method == PathItem.HttpMethod.POST);
    codes.put(ProblemCode.unsupportedMediaType, method == PathItem.HttpMethod.POST);
    boolean action =
        (path.startsWith("/api/v1/devices/{id}/") && !path.endsWith("/secrets"))
            || (ProblemMapper.isGraph(path) && path.contains("/managedDevices/{id}/"));
    codes.put(ProblemCode.actionNotSupported, action);
    codes.put(ProblemCode.idempotencyKeyReused, action);
    codes.put(
        ProblemCode.justificationRequired,
        action || path.endsWith("/bulk") || path.endsWith("/executeAction"));
    boolean request =
        path.startsWith("/api/v1/approval-requests/{")
            || path.contains("/operationApprovalRequests/");
    boolean decision = path.endsWith("/approve") || path.endsWith("/reject");
    codes.put(ProblemCode.approvalRequestNotFound, request);
    codes.put(ProblemCode.selfApprovalForbidden, decision);
    codes.put(ProblemCode.approvalRequestNotOpen, request && method == PathItem.HttpMethod.POST);
    codes.put(ProblemCode.approvalPolicyNotFound, path.startsWith("/api/v1/approval-policies/{"));
    codes.put(ProblemCode.serviceUnavailable, true);
    return codes.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  private static Schema graphErrorSchema() {
    Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    Schema inner =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .addProperty("date", string)
            .addProperty("request-id", string)
            .addProperty("client-request-id", string);
    Schema error =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .addProperty("code", string)
            .addProperty("message", string)
            .addProperty("innerError", inner);
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description("Microsoft Graph's error shape, with this API's status and stable code")
        .addProperty("error", error);
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
                        .addProperty("message", string)))
        .addProperty(
            "missingSettings",
            OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(string));
  }
}
