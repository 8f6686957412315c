package io.quarkus.smallrye.openapi.runtime;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.OpenApiFilter.RunStage;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.quarkus.smallrye.openapi.runtime.filter.DisabledRestEndpointsFilter;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves /q/openapi as the bytes the build wrote (META-INF/quarkus-generated-openapi-doc.JSON and
 * .YAML) instead of parsing and re-serializing that document at every start: Quarkus' own service
 * does so even when no run-time filter exists, which took 71 ms of a native start and 0.4 s of a
 * JVM start (issue 28). The two documents differ only in key order. A document that has run-time
 * work to do (a run-time filter, Quarkus' run-time security filter, REST endpoints disabled at run
 * time) is still built by Quarkus, at start, as before. This class sits in Quarkus' package because
 * {@code prepareDocument}, which Quarkus' recorder calls at start, is package-private; README's
 * "Start-up" says why; ColdStartInstancesIT checks that the packaged app neither builds the
 * document at start nor parses it to serve it, and OpenApiIT what it serves.
 */
// Packaged artifacts only (the jar and the native binary are built with the prod profile): there
// this class and Quarkus' share a class loader, which the package-private override needs; dev mode
// and @QuarkusTest load the two apart. Unremovable: Quarkus looks the service up by type at start.
@IfBuildProfile("prod")
@Unremovable
@Alternative
@Priority(1)
@ApplicationScoped
public class BuildTimeOpenApiDocuments extends OpenApiDocumentService {
  private static final String GENERATED = "META-INF/quarkus-generated-openapi-doc";

  /** Documents that Quarkus builds at start because they have run-time filters. */
  private final Set<String> builtAtStart = ConcurrentHashMap.newKeySet();

  private final Map<String, byte[]> asBuilt = new ConcurrentHashMap<>();

  @Override
  void prepareDocument(
      AutoSecurityFilter autoSecurityFilter,
      Map<RunStage, List<String>> filtersByStage,
      String documentName) {
    boolean runTimeFilters =
        autoSecurityFilter != null
            || DisabledRestEndpointsFilter.maybeGetInstance().isPresent()
            || filtersByStage.entrySet().stream()
                .anyMatch(e -> e.getKey() != RunStage.BUILD && !e.getValue().isEmpty());
    if (runTimeFilters) {
      builtAtStart.add(documentName);
      super.prepareDocument(autoSecurityFilter, filtersByStage, documentName);
    }
  }

  @Override
  public byte[] getDocument(String documentName, Format format) {
    if (builtAtStart.contains(documentName)) {
      return super.getDocument(documentName, format);
    }
    String suffix =
        OpenApiFilter.DEFAULT_DOCUMENT_NAME.equals(documentName) ? "" : "-" + documentName;
    String resource = GENERATED + suffix + (format == Format.JSON ? ".JSON" : ".YAML");
    byte[] document = asBuilt.computeIfAbsent(resource, BuildTimeOpenApiDocuments::read);
    // No document written: Quarkus' answer for that case (an empty document).
    return document != null ? document : super.getDocument(documentName, format);
  }

  /** The resource's bytes, or null when the build wrote none. */
  private static byte[] read(String resource) {
    ClassLoader loader = OpenApiConstants.classLoader;
    if (loader == null) {
      loader = Thread.currentThread().getContextClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
