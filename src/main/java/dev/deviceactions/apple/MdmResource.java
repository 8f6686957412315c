package dev.deviceactions.apple;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Apple's check-in ({@code PUT /mdm/apple/checkin}) and command ({@code PUT /mdm/apple/connect})
 * endpoints. Devices send their plists with the check-in's content type or none at all, so any is
 * taken; who sent one is decided by its signature, not by a bearer token.
 */
@Path("/mdm/apple")
@PermitAll
public class MdmResource {
  static final String PLIST = "application/xml";

  private final MdmService service;

  public MdmResource(MdmService service) {
    this.service = service;
  }

  @PUT
  @Path("/checkin")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> checkin(
      byte[] body,
      @HeaderParam(DeviceIdentity.SIGNATURE_HEADER) String signature,
      @Context HttpHeaders headers) {
    return service.checkin(body, signature, proxied(headers)).map(MdmResource::answer);
  }

  @PUT
  @Path("/connect")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> connect(
      byte[] body,
      @HeaderParam(DeviceIdentity.SIGNATURE_HEADER) String signature,
      @Context HttpHeaders headers) {
    return service.connect(body, signature, proxied(headers)).map(MdmResource::answer);
  }

  private String proxied(HttpHeaders headers) {
    String name = service.clientCertHeader();
    return name == null ? null : headers.getHeaderString(name);
  }

  private static Response answer(MdmAnswer answer) {
    return answer.plist() == null
        ? Response.status(answer.status()).build()
        : Response.status(answer.status()).entity(answer.plist()).type(PLIST).build();
  }
}
