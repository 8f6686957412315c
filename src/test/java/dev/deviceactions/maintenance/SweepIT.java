package dev.deviceactions.maintenance;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box suite against the packaged application. */
@QuarkusIntegrationTest
class SweepIT extends SweepTest {}
