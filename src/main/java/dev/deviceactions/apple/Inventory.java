package dev.deviceactions.apple;

import dev.deviceactions.action.ActionState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The answers to the service's own inventory commands: DeviceInformation's {@code QueryResponses}
 * (OSVersion, IsSupervised, ProductName, Model) and SecurityInfo's {@code PasscodePresent}. A
 * device may answer only some of the queried keys; what it leaves out stays as it was.
 */
@ApplicationScoped
public class Inventory {
  private final MdmDeviceRepository devices;

  public Inventory(MdmDeviceRepository devices) {
    this.devices = devices;
  }

  Uni<Void> answered(
      MdmCommand command, MdmStatus status, MdmMessage m, MdmEnrollment e, Instant now) {
    command.lastUpdatedAt = now;
    switch (status) {
      case NotNow -> {
        command.state = ActionState.pending;
        command.notNowCount++;
        return Uni.createFrom().voidItem();
      }
      case Acknowledged -> command.state = ActionState.done;
      default -> {
        command.state = ActionState.failed;
        return Uni.createFrom().voidItem();
      }
    }
    MdmDeviceRepository.Facts facts = facts(command, m, e);
    return facts == null
        ? Uni.createFrom().voidItem()
        : devices.facts(command.deviceId, facts).replaceWithVoid();
  }

  private static MdmDeviceRepository.Facts facts(MdmCommand c, MdmMessage m, MdmEnrollment e) {
    if (MdmCommands.DEVICE_INFORMATION.equals(c.requestType)) {
      MdmMessage answers = m.dictionary("QueryResponses");
      if (answers == null) {
        return null;
      }
      String productName = Text.bounded(answers.string("ProductName"), 100);
      String model = Text.bounded(answers.string("Model"), 100);
      e.productName = productName != null ? productName : e.productName;
      e.model = model != null ? model : e.model;
      return new MdmDeviceRepository.Facts(
          null,
          null,
          Text.osVersion(answers.string("OSVersion")),
          answers.bool("IsSupervised"),
          null);
    }
    MdmMessage security = m.dictionary("SecurityInfo");
    return security == null
        ? null
        : new MdmDeviceRepository.Facts(null, null, null, null, security.bool("PasscodePresent"));
  }
}
