package dev.deviceactions.graph;

import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Graph's absolute links, built from the request: {@code @odata.context} and the next page's. */
final class GraphLinks {
  private static final String ENTITY_SETS = "/deviceManagement/";

  private GraphLinks() {}

  /** {@code {base}/$metadata#deviceManagement/<entity set>}, {@code base} ending in the version. */
  static String context(UriInfo uri, String entitySet) {
    String path = uri.getAbsolutePath().toString();
    return path.substring(0, path.indexOf(ENTITY_SETS))
        + "/$metadata#deviceManagement/"
        + entitySet;
  }

  /** This request again, with the same options and {@code $skiptoken} at the next page; or null. */
  static String next(UriInfo uri, ODataQuery query, String cursor) {
    if (cursor == null) {
      return null;
    }
    StringBuilder link = new StringBuilder(uri.getAbsolutePath().toString());
    char separator = '?';
    for (Map.Entry<String, String> option : query.given().entrySet()) {
      if (!option.getKey().equals(ODataQuery.SKIPTOKEN)) {
        link.append(separator)
            .append(option.getKey())
            .append('=')
            .append(encode(option.getValue()));
        separator = '&';
      }
    }
    return link.append(separator)
        .append(ODataQuery.SKIPTOKEN)
        .append('=')
        .append(cursor)
        .toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
