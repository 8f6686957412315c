package dev.deviceactions.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Starts {@link TestStack} for every {@code @QuarkusTest} and {@code @QuarkusIntegrationTest}. */
@QuarkusTestResource(TestStack.class)
public final class TestStackResource {
  private TestStackResource() {}
}
