package dev.deviceactions.device;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box suite against the packaged application. */
@QuarkusIntegrationTest
class DeviceResourceIT extends DeviceResourceTest {}
