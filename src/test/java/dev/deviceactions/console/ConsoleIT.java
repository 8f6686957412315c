package dev.deviceactions.console;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same checks against the packaged application: the console ships in the jar. */
@QuarkusIntegrationTest
class ConsoleIT extends ConsoleTest {}
