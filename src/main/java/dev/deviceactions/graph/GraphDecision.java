package dev.deviceactions.graph;

import dev.deviceactions.approval.Justification;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Size;

/**
 * The body of Graph's approve and reject: {@code justification} as the Graph SDKs send it ({@code
 * approvalJustification}, the resource's own name, is taken too), and Graph's {@code
 * approvalSource}, which changes nothing here.
 */
@RegisterForReflection
public record GraphDecision(
    @Size(max = Justification.MAX) String justification,
    @Size(max = Justification.MAX) String approvalJustification,
    String approvalSource) {

  static String of(GraphDecision body) {
    if (body == null) {
      return null;
    }
    return body.justification() != null ? body.justification() : body.approvalJustification();
  }
}
