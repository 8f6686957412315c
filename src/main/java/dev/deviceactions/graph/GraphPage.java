package dev.deviceactions.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** A page of a Graph collection; {@code @odata.nextLink} is absent on the last page. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphPage<T>(
    @JsonProperty("@odata.context") String context,
    List<T> value,
    @JsonProperty("@odata.nextLink") String nextLink) {}
