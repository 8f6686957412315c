package dev.deviceactions.action;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box suite against the packaged application. */
@QuarkusIntegrationTest
class StatusViewIT extends StatusViewTest {}
