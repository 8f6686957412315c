package bench;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.UUID;

/** One entity on the app's own table, so that Hibernate Reactive starts a persistence unit as the app's does. */
@Entity(name = "device")
public class Device extends PanacheEntityBase {
  @Id public UUID id;

  public String name;
}
