package dev.deviceactions.apple;

import dev.deviceactions.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;

/**
 * SCEP (RFC 8894) at {@code /mdm/apple/scep}, where Apple devices get their identity certificate.
 * Open to anyone: a device has no credential yet, and what authorizes a certificate is the
 * enrollment challenge inside the PKIOperation. GET takes every operation, the message base64 in
 * the query; POST takes PKIOperation with the DER message as its body (Apple's client repeats the
 * message in the query string too, which is ignored then).
 */
@Path("/mdm/apple/scep")
@PermitAll
public class ScepResource {
  static final String GET_CA_CAPS = "GetCACaps";
  static final String GET_CA_CERT = "GetCACert";
  static final String PKI_OPERATION = "PKIOperation";
  static final String CA_CERT_TYPE = "application/x-x509-ca-cert";

  private final ScepService service;

  public ScepResource(ScepService service) {
    this.service = service;
  }

  @GET
  public Uni<Response> get(
      @QueryParam("operation") String operation, @QueryParam("message") String message) {
    return switch (operation == null ? "" : operation) {
      case GET_CA_CAPS -> Uni.createFrom().item(ok(service.capabilities(), MediaType.TEXT_PLAIN));
      case GET_CA_CERT -> Uni.createFrom().item(ok(service.caCertificate(), CA_CERT_TYPE));
      case PKI_OPERATION -> pkiOperation(decode(message));
      default ->
          throw ProblemException.invalid(
              "operation", "must be GetCACaps, GetCACert or PKIOperation");
    };
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> post(
      @QueryParam("operation") String operation,
      @QueryParam("message") String message,
      byte[] body) {
    if (!PKI_OPERATION.equals(operation)) {
      throw ProblemException.invalid("operation", "must be PKIOperation for POST");
    }
    return pkiOperation(body != null && body.length > 0 ? body : decode(message));
  }

  private Uni<Response> pkiOperation(byte[] message) {
    return service.pkiOperation(message).map(certRep -> ok(certRep, CertRep.MEDIA_TYPE));
  }

  /**
   * The query's message: base64, which query decoding has already URL-decoded. An unescaped '+'
   * arrives as a space; some clients use the URL-safe alphabet or break lines.
   */
  static byte[] decode(String message) {
    if (message == null || message.isBlank()) {
      throw ProblemException.invalid("message", "is required for PKIOperation");
    }
    String base64 =
        message.replace(' ', '+').replace('-', '+').replace('_', '/').replaceAll("[\\r\\n]", "");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("message", "is not base64");
    }
  }

  private static Response ok(Object body, String type) {
    return Response.ok(body, type).build();
  }
}
