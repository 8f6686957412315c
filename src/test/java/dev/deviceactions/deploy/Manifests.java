package dev.deviceactions.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads deploy/: every YAML document into the typed fabric8 model its apiVersion and kind name,
 * failing on any field that model does not have.
 */
final class Manifests {
  static final Path PROJECT = projectRoot();
  static final Path DEPLOY = PROJECT.resolve("deploy");

  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("batch/v1/CronJob", CronJob.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class),
          Map.entry("sources.knative.dev/v1/PingSource", PingSource.class),
          Map.entry("sources.knative.dev/v1/SinkBinding", SinkBinding.class),
          Map.entry("eventing.knative.dev/v1/Broker", Broker.class),
          Map.entry("eventing.knative.dev/v1/Trigger", Trigger.class),
          Map.entry("kustomize.config.k8s.io/v1beta1/Kustomization", Kustomization.class),
          Map.entry("kustomize.config.k8s.io/v1alpha1/Component", Kustomization.class));

  /**
   * fabric8's models keep unknown fields in an {@code additionalProperties} catch-all, so neither
   * its own unmarshal nor FAIL_ON_UNKNOWN_PROPERTIES alone rejects a misspelled field: this mapper
   * drops the catch-all from every model.
   */
  private static final ObjectMapper STRICT =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .addModule(new SimpleModule().setDeserializerModifier(new WithoutCatchAll()))
          .build();

  private Manifests() {}

  /**
   * A pod template's parts that the checks need, from a Deployment, (Cron)Job or Knative Service.
   */
  record Pod(
      String where,
      PodSecurityContext security,
      List<Container> containers,
      List<Volume> volumes,
      Long terminationGracePeriodSeconds) {}

  /** Every *.yaml under deploy/, kustomizations and examples included. */
  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isExample(Path file) {
    return file.getFileName().toString().endsWith(".example.yaml");
  }

  static List<Object> read(Path file) {
    try {
      return parse(Files.readString(file), DEPLOY.relativize(file).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses every document of {@code yaml}; {@code where} names it in error messages. */
  static List<Object> parse(String yaml, String where) {
    var documents = new ArrayList<>();
    try {
      for (JsonNode node : STRICT.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
        if (node != null && node.isObject()) {
          documents.add(STRICT.treeToValue(node, typeOf(node, where)));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    return documents;
  }

  /** The one document of {@code file} (relative to deploy/), as {@code type}. */
  static <T> T one(String file, Class<T> type) {
    var documents = read(DEPLOY.resolve(file));
    if (documents.size() != 1 || !type.isInstance(documents.get(0))) {
      throw new IllegalArgumentException(file + " should hold one " + type.getSimpleName());
    }
    return type.cast(documents.get(0));
  }

  /** The pods of every workload that `kubectl apply -k` applies (base, and Knative). */
  static List<Pod> appliedPods() {
    var documents =
        yamlFiles().stream().filter(f -> !isExample(f)).flatMap(f -> read(f).stream()).toList();
    return podsOf(documents);
  }

  static List<Pod> podsOf(List<Object> documents) {
    var pods = new ArrayList<Pod>();
    for (Object document : documents) {
      switch (document) {
        case Deployment d -> pods.add(pod("Deployment", d.getSpec().getTemplate().getSpec()));
        case CronJob c ->
            pods.add(
                pod("CronJob", c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()));
        case Job j -> pods.add(pod("Job", j.getSpec().getTemplate().getSpec()));
        case io.fabric8.knative.serving.v1.Service k -> pods.add(knativePod(k));
        default -> {}
      }
    }
    return pods;
  }

  private static Pod pod(String kind, PodSpec spec) {
    String where = kind + " " + spec.getContainers().get(0).getName();
    return new Pod(
        where,
        spec.getSecurityContext(),
        spec.getContainers(),
        spec.getVolumes(),
        spec.getTerminationGracePeriodSeconds());
  }

  private static Pod knativePod(io.fabric8.knative.serving.v1.Service service) {
    var spec = service.getSpec().getTemplate().getSpec();
    return new Pod(
        "Knative Service " + service.getMetadata().getName(),
        spec.getSecurityContext(),
        spec.getContainers(),
        spec.getVolumes(),
        spec.getTerminationGracePeriodSeconds());
  }

  private static Class<?> typeOf(JsonNode node, String where) {
    String key = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
    Class<?> type = TYPES.get(key);
    if (type == null) {
      throw new IllegalArgumentException(where + ": no typed model for " + key);
    }
    return type;
  }

  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
      dir = dir.getParent();
    }
    return Objects.requireNonNull(dir, "no pom.xml above the working directory");
  }

  /** Removes the any-setter, so that an unknown field fails instead of landing in a map. */
  private static final class WithoutCatchAll extends BeanDeserializerModifier {
    @Override
    public BeanDeserializerBuilder updateBuilder(
        DeserializationConfig config,
        BeanDescription description,
        BeanDeserializerBuilder builder) {
      builder.setAnySetter(null);
      builder.setIgnoreUnknownProperties(false);
      return builder;
    }
  }
}
