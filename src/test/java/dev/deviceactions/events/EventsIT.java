package dev.deviceactions.events;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box suite against the packaged application. */
@QuarkusIntegrationTest
class EventsIT extends EventsTest {}
