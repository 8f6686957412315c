package dev.deviceactions.apple;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box suite against the packaged application. */
@QuarkusIntegrationTest
class ApplePushIT extends ApplePushTest {}
