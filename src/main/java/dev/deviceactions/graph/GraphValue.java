package dev.deviceactions.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A Graph action's String answer: {@code {"@odata.context", "value"}}. */
@RegisterForReflection
public record GraphValue(@JsonProperty("@odata.context") String context, String value) {}
