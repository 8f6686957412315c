package dev.deviceactions.apple;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

/** Apple devices' protocol state (apple_device). */
@ApplicationScoped
public class MdmEnrollmentRepository implements PanacheRepositoryBase<MdmEnrollment, UUID> {

  /** The device's state, locked until the transaction ends: one message of a device at a time. */
  Uni<MdmEnrollment> lock(UUID deviceId) {
    return findById(deviceId, LockModeType.PESSIMISTIC_WRITE);
  }
}
