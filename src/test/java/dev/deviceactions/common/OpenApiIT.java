package dev.deviceactions.common;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The same checks against the packaged application, which serves the document as the build wrote it
 * (io.quarkus.smallrye.openapi.runtime.BuildTimeOpenApiDocuments).
 */
@QuarkusIntegrationTest
class OpenApiIT extends OpenApiTest {}
