package dev.deviceactions.apple;

import dev.deviceactions.action.CommandsRequested;
import dev.deviceactions.common.ProblemCode;
import dev.deviceactions.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.List;

/**
 * An MDM message from its bytes to its answer: within 64 KiB, signed by a device the device CA
 * knows (401 otherwise, before the body is even parsed), a property list (400 otherwise), then the
 * check-in or command protocol. Commands a message queued are announced after its commit.
 */
@ApplicationScoped
public class MdmService {
  static final int MAX_BODY = 64 * 1024;

  private final DeviceIdentity identity;
  private final CheckinService checkins;
  private final ConnectService connects;
  private final Event<CommandsRequested> requested;

  public MdmService(
      DeviceIdentity identity,
      CheckinService checkins,
      ConnectService connects,
      Event<CommandsRequested> requested) {
    this.identity = identity;
    this.checkins = checkins;
    this.connects = connects;
    this.requested = requested;
  }

  public Uni<MdmAnswer> checkin(byte[] body, String signature, String proxiedCertificate) {
    DeviceIdentity.Signer signer = identify(body, signature, proxiedCertificate);
    return checkins
        .checkin(signer, MdmMessage.parse(body))
        .invoke(
            answer -> {
              if (answer.commandsQueued()) {
                requested.fire(new CommandsRequested(List.of(signer.deviceId())));
              }
            });
  }

  public Uni<MdmAnswer> connect(byte[] body, String signature, String proxiedCertificate) {
    DeviceIdentity.Signer signer = identify(body, signature, proxiedCertificate);
    return connects.connect(signer, MdmMessage.parse(body));
  }

  /** The header a TLS-terminating proxy passes the client certificate in, if one is configured. */
  public String clientCertHeader() {
    return identity.clientCertHeader().orElse(null);
  }

  private DeviceIdentity.Signer identify(byte[] body, String signature, String proxied) {
    if (body.length > MAX_BODY) {
      throw new ProblemException(ProblemCode.payloadTooLarge, "The body is larger than 64 KiB.");
    }
    return identity.verify(body, signature, proxied);
  }
}
