package dev.deviceactions.approval;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box suite against the packaged application. */
@QuarkusIntegrationTest
class ApprovalsIT extends ApprovalsTest {}
