package dev.deviceactions.agent;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box suite against the packaged application. */
@QuarkusIntegrationTest
class AgentResourceIT extends AgentResourceTest {}
