package dev.deviceactions.secret;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Encrypted PINs and passcodes, one per action that produced one. */
@ApplicationScoped
public class SecretRepository implements PanacheRepositoryBase<ActionSecret, UUID> {

  /** The secrets of these actions whose value has not been purged yet. */
  public Uni<List<ActionSecret>> storedFor(Collection<UUID> actionIds) {
    if (actionIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return getSession()
        .chain(s -> s.find(ActionSecret.class, actionIds.toArray()))
        .map(found -> found.stream().filter(s -> s != null && s.ciphertext != null).toList());
  }
}
