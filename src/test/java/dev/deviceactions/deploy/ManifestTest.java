package dev.deviceactions.deploy;

import static dev.deviceactions.deploy.DeployFiles.APPLE_MDM;
import static dev.deviceactions.deploy.DeployFiles.BASE;
import static dev.deviceactions.deploy.DeployFiles.JVM;
import static dev.deviceactions.deploy.DeployFiles.KNATIVE;
import static dev.deviceactions.deploy.DeployFiles.KNATIVE_APPLE_MDM;
import static dev.deviceactions.deploy.DeployFiles.NATIVE;
import static dev.deviceactions.deploy.DeployFiles.configMap;
import static dev.deviceactions.deploy.DeployFiles.configValue;
import static dev.deviceactions.deploy.DeployFiles.cronJob;
import static dev.deviceactions.deploy.DeployFiles.deployment;
import static dev.deviceactions.deploy.DeployFiles.deploymentContainer;
import static dev.deviceactions.deploy.DeployFiles.knativeAgentService;
import static dev.deviceactions.deploy.DeployFiles.knativeContainer;
import static dev.deviceactions.deploy.DeployFiles.knativeService;
import static dev.deviceactions.deploy.DeployFiles.kustomization;
import static dev.deviceactions.deploy.DeployFiles.kustomizationFiles;
import static dev.deviceactions.deploy.DeployFiles.migrateJob;
import static dev.deviceactions.deploy.DeployFiles.secretExample;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.deviceactions.deploy.Manifests.Pod;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ as a spec: every manifest parses strictly into its typed Kubernetes or Knative model, and
 * the workloads probe, size, harden, configure and schedule the app the way it needs.
 */
class ManifestTest {
  private static final String CONFIG_MAP = "device-actions-config";
  private static final String SECRET = "device-actions-secrets";
  private static final String DEVICE_CA_SECRET = "device-actions-device-ca";
  private static final String APNS_SECRET = "device-actions-apns";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HTTP_PORT = 8080;

  /** Mount paths Knative Serving's webhook refuses. */
  private static final Set<String> KNATIVE_RESERVED_PATHS =
      Set.of("/", "/dev", "/dev/log", "/tmp", "/var", "/var/log");

  // Parsing

  @Test
  void everyManifestParsesStrictlyIntoItsTypedModel() {
    var files = Manifests.yamlFiles();
    assertTrue(files.size() >= 15, "deploy/ holds only " + files);
    assertAll(
        files.stream()
            .map(f -> () -> assertFalse(Manifests.read(f).isEmpty(), f + " holds no document")));
  }

  @Test
  void strictParsingRejectsAMisspelledFieldAndAnUnknownKind() {
    String typo =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: typo}
        spec:
          template:
            spec:
              containers:
                - name: app
                  securityContext: {readOnlyRootFilesytem: true}
        """;
    var misspelled =
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(typo, "typo"));
    assertTrue(misspelled.getMessage().contains("readOnlyRootFilesytem"), misspelled.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Manifests.parse("apiVersion: apps/v1beta1\nkind: Deployment\n", "old"));
  }

  @Test
  void valuesKubernetesNeedsAsStringsAreQuoted() {
    // Kubernetes reads YAML 1.1: a bare off, yes or 8080 in a ConfigMap, a label, an annotation or
    // an env value is a boolean or a number there, and refused or silently changed.
    var problems = Manifests.yamlFiles().stream().flatMap(f -> Yaml11.nonStrings(f).stream());
    assertEquals(List.of(), problems.toList());
  }

  // Workloads

  @Test
  void deploymentProbesTheHealthEndpoints() {
    var container = deploymentContainer();
    assertEquals(HTTP_PORT, container.getPorts().get(0).getContainerPort());
    assertHttpProbe(container, container.getLivenessProbe(), "/q/health/live");
    assertHttpProbe(container, container.getReadinessProbe(), "/q/health/ready");
    assertHttpProbe(container, container.getStartupProbe(), "/q/health/started");
  }

  @Test
  void knativeServiceProbesTheHealthEndpointsOnItsServingPort() {
    var container = knativeContainer();
    assertEquals(HTTP_PORT, container.getPorts().get(0).getContainerPort());
    assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
    // Knative probes the serving port itself and refuses a probe that names another.
    assertNull(container.getLivenessProbe().getHttpGet().getPort());
    assertNull(container.getReadinessProbe().getHttpGet().getPort());
  }

  @Test
  void everyContainerHasResourceRequestsAndLimits() {
    assertAll(
        eachContainer(
            (pod, container) -> {
              var requests = container.getResources().getRequests();
              var limits = container.getResources().getLimits();
              for (String resource : List.of("cpu", "memory")) {
                assertNotNull(requests.get(resource), pod.where() + " requests no " + resource);
                assertNotNull(limits.get(resource), pod.where() + " has no " + resource + " limit");
              }
              // Memory is not overcommitted: a pod never gets OOM-killed for what a neighbour uses.
              assertEquals(limits.get("memory"), requests.get("memory"), pod.where());
            }));
  }

  @Test
  void everyContainerRunsAsNonRootOnAReadOnlyRootWithoutPrivileges() {
    assertAll(
        eachContainer(
            (pod, container) -> {
              var security = container.getSecurityContext();
              assertNotNull(security, pod.where() + " has no securityContext");
              assertEquals(Boolean.TRUE, security.getRunAsNonRoot(), pod.where());
              assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), pod.where());
              assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), pod.where());
              assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), pod.where());
              assertEquals("RuntimeDefault", security.getSeccompProfile().getType(), pod.where());
            }));
  }

  @Test
  void everyReadOnlyRootHasAWritableScratchVolume() {
    assertAll(
        pods()
            .map(
                pod ->
                    () -> {
                      String scratch = scratchMountPath(pod);
                      if (!pod.where().startsWith("Knative")) {
                        assertEquals("/tmp", scratch, pod.where());
                        return;
                      }
                      // Knative refuses /tmp as a mount path, so Vert.x's file cache, which
                      // Quarkus otherwise puts under /tmp, moves onto the scratch volume.
                      assertFalse(KNATIVE_RESERVED_PATHS.contains(scratch), scratch);
                      String cache = env(pod.containers().get(0), "QUARKUS_VERTX_CACHE_DIRECTORY");
                      assertTrue(cache.startsWith(scratch + "/"), cache);
                    }));
  }

  @Test
  void cronJobRunsOneSweepEveryFiveMinutesWithoutOverlap() {
    var cronJob = cronJob(BASE).getSpec();
    assertEquals("*/5 * * * *", cronJob.getSchedule());
    assertEquals("Forbid", cronJob.getConcurrencyPolicy());
    var job = cronJob.getJobTemplate().getSpec();
    assertNotNull(job.getBackoffLimit(), "a failing sweep would be retried 6 times");
    assertTrue(job.getActiveDeadlineSeconds() < 300, "a sweep ends before the next one is due");
    assertTrue(
        Set.of("Never", "OnFailure").contains(job.getTemplate().getSpec().getRestartPolicy()));
    var container = job.getTemplate().getSpec().getContainers().get(0);
    assertEquals(List.of("sweep"), container.getArgs());
    // A command would replace the image's entrypoint, which is what runs the app.
    assertTrue(container.getCommand() == null || container.getCommand().isEmpty());
    assertEquals(deploymentContainer().getImage(), container.getImage(), "the API's image");
  }

  @Test
  void inProcessSweepIsOffBecauseTheCronJobSweeps() {
    assertEquals("off", configMap(BASE).getData().get("DEVICE_ACTIONS_SWEEP_EVERY"));
    assertTrue(kustomization(BASE).resourcesOrEmpty().contains("cronjob-sweep.yaml"));
    assertTrue(kustomization(KNATIVE).resourcesOrEmpty().contains("cronjob-sweep.yaml"));
  }

  @Test
  void deploymentDrainsWithinItsGracePeriod() {
    var pod = deployment().getSpec().getTemplate();
    long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    long preStop = deploymentContainer().getLifecycle().getPreStop().getSleep().getSeconds();
    long shutdown =
        AppProperties.seconds(configMap(BASE).getData().get("QUARKUS_SHUTDOWN_TIMEOUT"));
    assertEquals(30, grace);
    assertTrue(preStop + shutdown < grace, "SIGKILL before in-flight requests finish: " + preStop);
  }

  @Test
  void autoscalerOwnsTheReplicaCountAndTheDisruptionBudgetLeavesRoom() {
    var deployment = deployment();
    var hpa = Manifests.one(BASE + "hpa.yaml", HorizontalPodAutoscaler.class).getSpec();
    var pdb = Manifests.one(BASE + "pdb.yaml", PodDisruptionBudget.class).getSpec();
    assertEquals("Deployment", hpa.getScaleTargetRef().getKind());
    assertEquals(deployment.getMetadata().getName(), hpa.getScaleTargetRef().getName());
    assertNull(deployment.getSpec().getReplicas(), "a re-apply would reset the autoscaler's count");
    assertTrue(
        pdb.getMinAvailable().getIntVal() < hpa.getMinReplicas(), "a drain could evict nothing");
    assertEquals(
        deployment.getSpec().getSelector().getMatchLabels(), pdb.getSelector().getMatchLabels());
  }

  @Test
  void serviceSelectsTheApiPodsButNotTheSweepPods() {
    var service = Manifests.one(BASE + "service.yaml", Service.class).getSpec();
    var api = deployment().getSpec().getTemplate();
    var sweep = cronJob(BASE).getSpec();
    var sweepLabels = sweep.getJobTemplate().getSpec().getTemplate().getMetadata().getLabels();
    var selector = service.getSelector().entrySet();
    assertTrue(api.getMetadata().getLabels().entrySet().containsAll(selector));
    assertFalse(sweepLabels.entrySet().containsAll(selector));
    assertEquals(
        deploymentContainer().getPorts().get(0).getName(),
        service.getPorts().get(0).getTargetPort().getStrVal());
  }

  @Test
  void knativeServiceScalesToZeroWithinKnativesRules() {
    var template = knativeService().getSpec().getTemplate();
    var annotations = template.getMetadata().getAnnotations();
    var spec = template.getSpec();
    assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"));
    assertTrue(Integer.parseInt(annotations.get("autoscaling.knative.dev/max-scale")) > 0);
    int target = Integer.parseInt(annotations.get("autoscaling.knative.dev/target"));
    assertTrue(target > 0 && target <= spec.getContainerConcurrency(), "target " + target);
    // Knative's webhook refuses these by default.
    assertNull(spec.getSecurityContext(), "needs the kubernetes.podspec-securitycontext flag");
    assertNull(spec.getTerminationGracePeriodSeconds(), "Knative derives it from timeoutSeconds");
    assertTrue(Set.of("", "http1", "h2c").contains(knativeContainer().getPorts().get(0).getName()));
    knativeContainer()
        .getVolumeMounts()
        .forEach(m -> assertFalse(KNATIVE_RESERVED_PATHS.contains(m.getMountPath()), m.toString()));
  }

  @Test
  void waitingAgentsHaveAKnativeServiceOfTheirOwnThatCannotStarveAdminRequests() {
    var admin = knativeService().getSpec().getTemplate();
    var agent = knativeAgentService().getSpec().getTemplate();
    assertTrue(kustomization(KNATIVE).resources().contains("service-agent.yaml"));
    // The admin API keeps a bounded concurrency: held check-ins do not go there.
    assertTrue(admin.getSpec().getContainerConcurrency() > 0);
    // Agents: no queue-proxy limit (the app bounds its waiters and answers beyond at once), and an
    // autoscaler that counts requests per second, which held check-ins do not inflate.
    assertEquals(0L, agent.getSpec().getContainerConcurrency());
    assertEquals("rps", agent.getMetadata().getAnnotations().get("autoscaling.knative.dev/metric"));
    assertTrue(
        Integer.parseInt(agent.getMetadata().getAnnotations().get("autoscaling.knative.dev/target"))
            > 0);
    long maxWait =
        java.time.Duration.parse("PT" + configValue("DEVICE_ACTIONS_AGENT_MAX_WAIT")).toSeconds();
    assertTrue(maxWait > 0);
    assertTrue(agent.getSpec().getTimeoutSeconds() > maxWait + 10, "timeoutSeconds");
    assertTrue(agent.getSpec().getResponseStartTimeoutSeconds() > maxWait + 10, "response start");
  }

  @Test
  void theAgentServiceRunsTheSameContainerAsTheAdminService() {
    var admin = knativeService();
    var agent = knativeAgentService();
    assertNotEquals(admin.getMetadata().getName(), agent.getMetadata().getName());
    assertEquals(
        admin.getSpec().getTemplate().getSpec().getContainers(),
        agent.getSpec().getTemplate().getSpec().getContainers());
    assertEquals(
        admin.getSpec().getTemplate().getSpec().getVolumes(),
        agent.getSpec().getTemplate().getSpec().getVolumes());
    assertEquals(
        admin
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("autoscaling.knative.dev/max-scale"),
        agent
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("autoscaling.knative.dev/max-scale"));
  }

  @Test
  void knativeRunsTheSameConfigurationAndSweepAsKubernetes() {
    assertEquals(configMap(BASE), configMap(KNATIVE));
    assertEquals(cronJob(BASE), cronJob(KNATIVE));
    assertEquals(migrateJob(BASE), migrateJob(KNATIVE));
    assertEquals(deploymentContainer().getImage(), knativeContainer().getImage());
    assertEquals(deploymentContainer().getResources(), knativeContainer().getResources());
  }

  @Test
  void migrationsRunAsAOneShotJobThatServingPodsWaitFor() {
    var job = migrateJob(BASE);
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(List.of("migrate"), container.getArgs());
    assertEquals(deploymentContainer().getImage(), container.getImage(), "the API's image");
    assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
    assertTrue(job.getSpec().getTtlSecondsAfterFinished() > 0, "re-applied at the next release");
    assertTrue(kustomization(BASE).resourcesOrEmpty().contains("job-migrate.yaml"));
    assertTrue(kustomization(KNATIVE).resourcesOrEmpty().contains("job-migrate.yaml"));
    assertEquals(
        "/q/health/ready",
        deploymentContainer().getReadinessProbe().getHttpGet().getPath(),
        "readiness, which includes the schema version, holds traffic until the Job is done");
  }

  @Test
  void pingSourceExampleWouldCallTheSweepEndpoint() {
    var ping = Manifests.one(KNATIVE + "pingsource.example.yaml", PingSource.class).getSpec();
    assertEquals("*/5 * * * *", ping.getSchedule());
    assertEquals(knativeService().getMetadata().getName(), ping.getSink().getRef().getName());
    assertEquals("/api/v1/maintenance/sweep", ping.getSink().getUri());
  }

  @Test
  void theEventStreamReachesTheBrokerThroughASinkBinding() {
    var binding = Manifests.one(KNATIVE + "sinkbinding.example.yaml", SinkBinding.class).getSpec();
    var broker = Manifests.one(KNATIVE + "broker.example.yaml", Broker.class);
    var trigger = Manifests.one(KNATIVE + "trigger.example.yaml", Trigger.class).getSpec();
    assertEquals(knativeService().getMetadata().getName(), binding.getSubject().getName());
    assertEquals("serving.knative.dev/v1", binding.getSubject().getApiVersion());
    assertEquals("Broker", binding.getSink().getRef().getKind());
    assertEquals(broker.getMetadata().getName(), binding.getSink().getRef().getName());
    assertEquals(broker.getMetadata().getName(), trigger.getBroker());
    assertTrue(
        Set.of(
                "dev.deviceactions.action.requested",
                "dev.deviceactions.action.delivered",
                "dev.deviceactions.action.completed",
                "dev.deviceactions.device.enrolled",
                "dev.deviceactions.device.removed")
            .contains(trigger.getFilter().getAttributes().get("type")),
        "the Trigger filters on a type the app sends");
    assertEquals(
        configValue("DEVICE_ACTIONS_EVENTS_SOURCE"),
        trigger.getFilter().getAttributes().get("source"));
  }

  @Test
  void eventSettingsAreInTheConfigMapAndTheSigningSecretInTheSecret() {
    for (String key :
        List.of(
            "DEVICE_ACTIONS_EVENTS_MAX_AGE",
            "DEVICE_ACTIONS_EVENTS_FAILED_RETENTION",
            "DEVICE_ACTIONS_EVENTS_CONNECT_TIMEOUT",
            "DEVICE_ACTIONS_EVENTS_REQUEST_TIMEOUT")) {
      assertDoesNotThrow(() -> AppProperties.seconds(configValue(key)), key);
    }
    assertEquals("/device-actions", configValue("DEVICE_ACTIONS_EVENTS_SOURCE"));
    assertTrue(configMap(BASE).getData().containsKey("DEVICE_ACTIONS_EVENTS_SINKS"));
    assertTrue(secretExample().getStringData().containsKey("DEVICE_ACTIONS_EVENTS_SIGNING_SECRET"));
  }

  // Configuration

  @Test
  void everyWorkloadTakesItsSettingsFromTheConfigMapAndTheSecret() {
    assertEquals(CONFIG_MAP, configMap(BASE).getMetadata().getName());
    assertEquals(SECRET, secretExample().getMetadata().getName());
    assertAll(
        pods()
            .map(
                pod ->
                    () -> {
                      var envFrom = pod.containers().get(0).getEnvFrom();
                      assertEquals(List.of(CONFIG_MAP), refs(envFrom, ManifestTest::configMapRef));
                      assertEquals(List.of(SECRET), refs(envFrom, ManifestTest::secretRef));
                    }));
  }

  @Test
  void configMapKeysAreEnvironmentFormsOfPropertiesTheAppReads() {
    var known = AppProperties.byEnvForm(AppProperties.CONFIG_MAP).keySet();
    for (String dir : List.of(BASE, KNATIVE)) {
      var unknown = new TreeSet<>(configMap(dir).getData().keySet());
      unknown.removeAll(known);
      assertEquals(Set.of(), unknown, dir + "configmap.yaml sets what the app does not read");
    }
  }

  @Test
  void secretKeysAreEnvironmentFormsOfTheSecretProperties() {
    assertEquals(
        AppProperties.byEnvForm(AppProperties.SECRET).keySet(),
        secretExample().getStringData().keySet());
  }

  @Test
  void everyPropertyDeployMaySetIsReadByTheApp() {
    var mapping = AppProperties.deviceActionsMapping();
    var jwt = AppProperties.smallryeJwtProperties();
    var quarkus = AppProperties.quarkusRuntimeProperties();
    var properties = new TreeSet<>(AppProperties.CONFIG_MAP);
    properties.addAll(AppProperties.SECRET);
    properties.addAll(AppProperties.APPLE_MDM);
    assertAll(
        properties.stream()
            .map(
                property ->
                    () -> {
                      if (property.startsWith("device-actions.")) {
                        assertTrue(mapping.contains(property), property + " not in " + mapping);
                      } else if (property.startsWith("mp.jwt.")
                          || property.startsWith("smallrye.jwt.")) {
                        assertTrue(jwt.contains(property), property + " not in " + jwt);
                      } else {
                        assertEquals(
                            AppProperties.envForm(property),
                            quarkus.get(property),
                            property + " is no run-time property of a Quarkus extension here");
                      }
                    }));
  }

  @Test
  void containerEnvNamesOnlyRunTimeQuarkusProperties() {
    var envForms = new HashSet<>(AppProperties.quarkusRuntimeProperties().values());
    assertAll(
        eachContainer(
            (pod, container) ->
                container
                    .getEnv()
                    .forEach(
                        env ->
                            assertTrue(
                                envForms.contains(env.getName()),
                                pod.where() + ": " + env.getName()))));
  }

  @Test
  void productionGetsEverySettingThatHasNoProductionDefault() {
    // What the README requires, plus what application.properties sets only for %dev or %test.
    var required = new TreeSet<>(AppProperties.REQUIRED);
    AppProperties.profileOnlyProperties().stream()
        .filter(p -> AppProperties.CONFIG_MAP.contains(p) || AppProperties.SECRET.contains(p))
        .forEach(required::add);
    var given = new HashSet<>(configMap(BASE).getData().keySet());
    given.addAll(secretExample().getStringData().keySet());
    assertAll(
        required.stream()
            .map(AppProperties::envForm)
            .map(env -> () -> assertTrue(given.contains(env) || jwtKeyGiven(env), env)));
  }

  @Test
  void jwtKeyIsGivenOneWayOnly() {
    // smallrye-jwt takes mp.jwt.verify.publickey first and then ignores the location.
    boolean location = !configValue("MP_JWT_VERIFY_PUBLICKEY_LOCATION").isBlank();
    boolean pem = !secretExample().getStringData().get("MP_JWT_VERIFY_PUBLICKEY").isBlank();
    assertTrue(location ^ pem, "location " + location + ", PEM " + pem);
  }

  @Test
  void secretExampleHoldsPlaceholdersOnly() {
    var secret = secretExample();
    assertTrue(
        secret.getData() == null || secret.getData().isEmpty(),
        "base64 data hides what it holds: use stringData");
    assertAll(
        secret.getStringData().entrySet().stream()
            .map(
                e ->
                    () ->
                        assertTrue(
                            Set.of("", "change-me").contains(e.getValue()),
                            e.getKey() + " holds a value that is not a placeholder")));
  }

  @Test
  void configMapValuesHaveTheFormsTheAppParses() {
    for (String key :
        List.of(
            "DEVICE_ACTIONS_RECOVERY_PIN_RETENTION",
            "DEVICE_ACTIONS_TEMPORARY_PASSCODE_RETENTION",
            "DEVICE_ACTIONS_RESTART_TIMEOUT",
            "DEVICE_ACTIONS_APPROVALS_TTL",
            "DEVICE_ACTIONS_SWEEP_INITIAL_DELAY",
            "DEVICE_ACTIONS_AGENT_MAX_WAIT",
            "DEVICE_ACTIONS_APPLE_PUSH_INITIAL_BACKOFF",
            "DEVICE_ACTIONS_APPLE_PUSH_MAX_BACKOFF",
            "DEVICE_ACTIONS_APPLE_PUSH_RETRY_FOR",
            "QUARKUS_SHUTDOWN_TIMEOUT")) {
      assertDoesNotThrow(() -> AppProperties.seconds(configValue(key)), key);
    }
    String every = configValue("DEVICE_ACTIONS_SWEEP_EVERY");
    assertTrue("off".equals(every) || AppProperties.DURATION.matcher(every).matches(), every);
    for (String key :
        List.of(
            "DEVICE_ACTIONS_SWEEP_BATCH_SIZE",
            "DEVICE_ACTIONS_AGENT_MAX_WAITERS",
            "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE",
            "QUARKUS_HTTP_PORT")) {
      assertTrue(Integer.parseInt(configValue(key)) > 0, key);
    }
    assertEquals(HTTP_PORT, Integer.parseInt(configValue("QUARKUS_HTTP_PORT")));
  }

  @Test
  void onlyTheMigrateJobHasAJdbcUrl() {
    assertEquals("", configValue("QUARKUS_DATASOURCE_JDBC_URL"), "serving pods would open JDBC");
    assertAll(
        pods()
            .map(
                pod ->
                    () -> {
                      boolean migrate = pod.containers().get(0).getArgs().contains("migrate");
                      boolean jdbc =
                          pod.containers().get(0).getEnv().stream()
                              .anyMatch(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_URL"));
                      assertEquals(migrate, jdbc, pod.where());
                    }));
  }

  @Test
  void reactiveAndJdbcUrlsNameTheSameDatabase() {
    var reactive = URI.create(configValue("QUARKUS_DATASOURCE_REACTIVE_URL"));
    var migrate = migrateJob(BASE).getSpec().getTemplate().getSpec().getContainers().get(0);
    String jdbcUrl = env(migrate, "QUARKUS_DATASOURCE_JDBC_URL");
    assertTrue(jdbcUrl.startsWith("jdbc:"), jdbcUrl);
    var jdbc = URI.create(jdbcUrl.substring("jdbc:".length()));
    assertEquals("postgresql", reactive.getScheme());
    assertEquals("postgresql", jdbc.getScheme());
    assertEquals(reactive.getHost(), jdbc.getHost());
    assertEquals(reactive.getPort(), jdbc.getPort());
    assertEquals(reactive.getPath(), jdbc.getPath());
  }

  // Kustomize and images

  @Test
  void kustomizationsApplyEveryManifestExceptTheExamples() {
    var applied = new HashSet<Path>();
    for (Path file : kustomizationFiles()) {
      for (String resource : kustomization(file).resourcesOrEmpty()) {
        Path target = file.getParent().resolve(resource).normalize();
        assertTrue(
            Files.isRegularFile(target)
                || Files.isRegularFile(target.resolve("kustomization.yaml")),
            file + " lists " + resource + ", which does not exist");
        assertFalse(Manifests.isExample(target), file + " applies the example " + resource);
        if (Files.isDirectory(target)) {
          assertFalse(isComponent(target), file + " lists the component " + resource);
        }
        applied.add(target);
      }
      for (String component : kustomization(file).componentsOrEmpty()) {
        Path target = file.getParent().resolve(component).normalize();
        assertTrue(isComponent(target), file + " lists " + component + ", which is no component");
      }
    }
    var orphans =
        Manifests.yamlFiles().stream()
            .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
            .filter(f -> !Manifests.isExample(f) && !applied.contains(f))
            .toList();
    assertEquals(List.of(), orphans, "manifests no kustomization applies");
  }

  @Test
  void overlaysPickTheirImageAndTheJvmGetsMoreMemory() throws IOException {
    assertImage(JVM, "device-actions-jvm");
    assertImage(NATIVE, "device-actions-native");
    assertImage(KNATIVE, "device-actions-native");
    var jvm = kustomization(JVM);
    var targets =
        jvm.patchesOrEmpty().stream().map(p -> p.target().kind() + "/" + p.target().name());
    assertEquals(
        Set.of(
            "Deployment/device-actions",
            "CronJob/device-actions-sweep",
            "Job/device-actions-migrate"),
        targets.collect(Collectors.toSet()));
    var baseMemory = bytes(deploymentContainer().getResources().getLimits().get("memory"));
    for (var patch : jvm.patchesOrEmpty()) {
      for (JsonNode op : new YAMLMapper().readTree(patch.patch())) {
        assertTrue(op.path("path").asText().endsWith("/memory"), op.toString());
        assertTrue(bytes(new Quantity(op.path("value").asText())).compareTo(baseMemory) > 0);
      }
    }
  }

  @Test
  void overlaysRenderWithKustomizeWhereKubectlIsInstalled() throws Exception {
    assumeTrue(Kubectl.installed(), "no kubectl: the overlays were checked as files only");
    assertRendered(JVM, "device-actions-jvm", "768Mi", 7);
    assertRendered(NATIVE, "device-actions-native", "256Mi", 7);
    assertRendered(KNATIVE, "device-actions-native", "256Mi", 5);
  }

  @Test
  void imagesRunAsNonRootAndPassTheSweepArgumentThrough() throws IOException {
    var jvm = dockerfile("Dockerfile.jvm");
    var micro = dockerfile("Dockerfile.native-micro");
    assertEquals(List.of("USER 185"), instructions(jvm, "USER"));
    assertEquals(List.of("USER 1001"), instructions(micro, "USER"));
    for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
      assertTrue(jvm.contains(" target/quarkus-app/" + part + " "), part);
    }
    assertTrue(micro.contains(" target/*-runner /work/application"));
    assertTrue(
        instructions(jvm, "ENV").stream()
            .anyMatch(
                e -> e.startsWith("ENV JAVA_OPTS_APPEND=") && e.contains("MaxRAMPercentage")));
    // Arguments follow the entrypoint, so `sweep` comes first; Kubernetes args would replace a CMD.
    assertEquals(
        List.of("ENTRYPOINT [ \"/opt/jboss/container/java/run/run-java.sh\" ]"),
        instructions(jvm, "ENTRYPOINT"));
    assertEquals(List.of("ENTRYPOINT [\"./application\"]"), instructions(micro, "ENTRYPOINT"));
    for (String dockerfile : List.of(jvm, micro)) {
      assertEquals(List.of(), instructions(dockerfile, "CMD"));
      assertEquals(List.of("EXPOSE " + HTTP_PORT), instructions(dockerfile, "EXPOSE"));
    }
  }

  // Apple MDM: off as shipped, on with one component in an overlay

  @Test
  void appleMdmComponentsSetEveryAppleSettingWithPlaceholdersForTheSiteSpecificOnes() {
    for (String dir : List.of(APPLE_MDM, KNATIVE_APPLE_MDM)) {
      var component = kustomization(dir);
      assertTrue(component.isComponent(), dir);
      assertEquals("kustomize.config.k8s.io/v1alpha1", component.apiVersion(), dir);
      assertEquals(List.of(), component.resourcesOrEmpty(), dir + " adds a resource");
    }
    String patch = configMapPatch(APPLE_MDM);
    assertEquals(patch, configMapPatch(KNATIVE_APPLE_MDM), "Knative gets other settings");
    var data = ((ConfigMap) Manifests.parse(patch, APPLE_MDM).get(0)).getData();
    String header = AppProperties.envForm("device-actions.apple.client-cert-header");
    var expected = new TreeSet<>(AppProperties.byEnvForm(AppProperties.APPLE_MDM).keySet());
    expected.remove(header);
    assertEquals(expected, new TreeSet<>(data.keySet()));
    // Only behind a proxy that checks the devices' certificates: offered, commented out.
    assertTrue(patch.contains("# " + header + ": "), header);
    var url = URI.create(data.get("DEVICE_ACTIONS_PUBLIC_URL"));
    assertEquals("https", url.getScheme(), "Apple devices reach MDM over https only");
    assertTrue(url.getHost().endsWith(".example.com"), "not a placeholder: " + url);
    assertTrue(data.get("DEVICE_ACTIONS_APPLE_PUSH_TOPIC").startsWith("com.apple.mgmt.External."));
    assertEquals(2, patch.split("# PLACEHOLDER: ", -1).length - 1, "the URL and topic say so");
    APPLE_FILES
        .keySet()
        .forEach(key -> assertTrue(data.get(key).startsWith("/etc/device-actions/"), key));
  }

  @Test
  void everyInlinePatchParsesStrictlyAndPatchesItsTarget() {
    var yaml = new YAMLMapper();
    var operations = Set.of("add", "remove", "replace", "move", "copy", "test");
    assertAll(
        kustomizationFiles().stream()
            .flatMap(
                file ->
                    kustomization(file).patchesOrEmpty().stream()
                        .map(
                            patch ->
                                () -> {
                                  var target = patch.target();
                                  String where =
                                      Manifests.DEPLOY.relativize(file)
                                          + ", patch of "
                                          + target.kind()
                                          + " "
                                          + target.name();
                                  assertNotNull(patch.patch(), where + " is not inline");
                                  assertEquals(List.of(), Yaml11.nonStrings(patch.patch(), where));
                                  JsonNode tree = yaml.readTree(patch.patch());
                                  if (tree.isArray()) {
                                    for (JsonNode op : tree) {
                                      assertTrue(
                                          operations.contains(op.path("op").asText()),
                                          where + ": " + op);
                                      assertTrue(
                                          op.path("path").asText().startsWith("/spec/"),
                                          where + ": " + op);
                                    }
                                    return;
                                  }
                                  // A strategic merge patch: a partial manifest of its target.
                                  var documents = Manifests.parse(patch.patch(), where);
                                  assertEquals(1, documents.size(), where);
                                  var patched = (HasMetadata) documents.get(0);
                                  assertEquals(target.kind(), patched.getKind(), where);
                                  assertEquals(
                                      target.name(), patched.getMetadata().getName(), where);
                                })));
  }

  @Test
  void appleMdmComponentMountsTheSecretsWhereTheConfigMapPointsInBothOverlays(@TempDir Path tmp)
      throws Exception {
    assumeTrue(Kubectl.installed(), "no kubectl: the component was checked as a file only");
    Path overlays = copyOf(Manifests.DEPLOY, tmp.resolve("deploy")).resolve("kubernetes/overlays");
    for (String overlay : List.of("jvm", "native")) {
      // What deploy/README.md tells operators: a copy of an overlay, plus the component.
      Path mine = copyOf(overlays.resolve(overlay), overlays.resolve("mine-" + overlay));
      Files.writeString(
          mine.resolve("kustomization.yaml"),
          "components:\n  - ../../components/apple-mdm\n",
          StandardOpenOption.APPEND);
      var parsed = (Kustomization) Manifests.read(mine.resolve("kustomization.yaml")).get(0);
      assertEquals(List.of("../../components/apple-mdm"), parsed.componentsOrEmpty());
      assertAppleMdmAdded(
          Manifests.parse(Kubectl.kustomize(mine), "kubectl kustomize " + mine),
          Manifests.parse(Kubectl.kustomize(overlays.resolve(overlay)), overlay),
          "apps/v1/Deployment/device-actions",
          0440);
    }
  }

  @Test
  void appleMdmComponentOnKnativeMountsTheSecretsInTheApiServiceOnly(@TempDir Path tmp)
      throws Exception {
    assumeTrue(Kubectl.installed(), "no kubectl: the component was checked as a file only");
    Path knative = copyOf(Manifests.DEPLOY.resolve(KNATIVE), tmp.resolve("knative"));
    var plain = Manifests.parse(Kubectl.kustomize(knative), "knative");
    // What deploy/README.md tells operators: the component in deploy/knative/kustomization.yaml.
    Files.writeString(
        knative.resolve("kustomization.yaml"),
        "components:\n  - components/apple-mdm\n",
        StandardOpenOption.APPEND);
    var withApple = Manifests.parse(Kubectl.kustomize(knative), "knative with apple-mdm");
    // The agent Service serves no /mdm path: it is among the resources left untouched.
    assertAppleMdmAdded(withApple, plain, "serving.knative.dev/v1/Service/device-actions", 0444);
    var api =
        (io.fabric8.knative.serving.v1.Service)
            byName(withApple).get("serving.knative.dev/v1/Service/device-actions");
    var spec = api.getSpec().getTemplate().getSpec();
    assertNull(spec.getSecurityContext(), "needs the kubernetes.podspec-securitycontext flag");
    spec.getContainers()
        .get(0)
        .getVolumeMounts()
        .forEach(m -> assertFalse(KNATIVE_RESERVED_PATHS.contains(m.getMountPath()), m.toString()));
  }

  // Helpers

  private static Stream<Pod> pods() {
    var pods = Manifests.appliedPods();
    assertEquals(
        7,
        pods.size(),
        "Deployment, two sweep CronJobs, two migrate Jobs, two Knative Services: " + pods);
    return pods.stream();
  }

  private interface ContainerCheck {
    void check(Pod pod, Container container);
  }

  private static Stream<Executable> eachContainer(ContainerCheck check) {
    return pods().flatMap(p -> p.containers().stream().map(c -> () -> check.check(p, c)));
  }

  private static void assertHttpProbe(Container container, Probe probe, String path) {
    assertNotNull(probe, path + " is not probed");
    assertEquals(path, probe.getHttpGet().getPath());
    var port = probe.getHttpGet().getPort();
    int number =
        port.getIntVal() != null
            ? port.getIntVal()
            : container.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .findFirst()
                .orElseThrow()
                .getContainerPort();
    assertEquals(HTTP_PORT, number, path + " probes another port");
  }

  private static String scratchMountPath(Pod pod) {
    var emptyDirs =
        pod.volumes().stream().filter(v -> v.getEmptyDir() != null).map(Volume::getName).toList();
    return pod.containers().get(0).getVolumeMounts().stream()
        .filter(m -> emptyDirs.contains(m.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(pod.where() + " has no writable scratch volume"))
        .getMountPath();
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not set"))
        .getValue();
  }

  private static String configMapRef(EnvFromSource source) {
    if (source.getConfigMapRef() == null) {
      return null;
    }
    assertNotEquals(Boolean.TRUE, source.getConfigMapRef().getOptional(), "hides a missing one");
    return source.getConfigMapRef().getName();
  }

  private static String secretRef(EnvFromSource source) {
    if (source.getSecretRef() == null) {
      return null;
    }
    assertNotEquals(Boolean.TRUE, source.getSecretRef().getOptional(), "hides a missing one");
    return source.getSecretRef().getName();
  }

  private static List<String> refs(
      List<EnvFromSource> envFrom, Function<EnvFromSource, String> name) {
    return envFrom.stream().map(name).filter(n -> n != null).toList();
  }

  private static boolean jwtKeyGiven(String env) {
    return env.startsWith("MP_JWT_VERIFY_PUBLICKEY")
        && (!configValue("MP_JWT_VERIFY_PUBLICKEY_LOCATION").isBlank()
            || !secretExample().getStringData().get("MP_JWT_VERIFY_PUBLICKEY").isBlank());
  }

  private static BigDecimal bytes(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity);
  }

  private static void assertImage(String dir, String image) {
    var images = kustomization(dir).imagesOrEmpty();
    assertEquals(1, images.size(), dir);
    assertEquals(deploymentContainer().getImage(), images.get(0).name(), "the base's image name");
    assertTrue(images.get(0).newName().endsWith("/" + image), images.get(0).newName());
  }

  private static void assertRendered(String dir, String image, String memory, int count)
      throws IOException, InterruptedException {
    var documents = Manifests.parse(Kubectl.kustomize(dir), "kubectl kustomize " + dir);
    assertEquals(count, documents.size(), dir);
    var pods = Manifests.podsOf(documents);
    assertFalse(pods.isEmpty(), dir);
    for (Pod pod : pods) {
      for (Container container : pod.containers()) {
        assertTrue(container.getImage().contains("/" + image + ":"), container.getImage());
        assertEquals(memory, container.getResources().getLimits().get("memory").toString(), dir);
      }
    }
  }

  /** The Secret and key each file the apple-mdm components name comes from. */
  private record SecretFile(String secret, String key) {}

  private static final Map<String, SecretFile> APPLE_FILES =
      Map.of(
          "DEVICE_ACTIONS_APPLE_CA_CERT", new SecretFile(DEVICE_CA_SECRET, "device-ca.pem"),
          "DEVICE_ACTIONS_APPLE_CA_KEY", new SecretFile(DEVICE_CA_SECRET, "device-ca-key.pem"),
          "DEVICE_ACTIONS_APPLE_PUSH_CERT", new SecretFile(APNS_SECRET, "push-cert.pem"),
          "DEVICE_ACTIONS_APPLE_PUSH_KEY", new SecretFile(APNS_SECRET, "push-key.pem"));

  private static String configMapPatch(String component) {
    return kustomization(component).patchesOrEmpty().stream()
        .filter(p -> "ConfigMap".equals(p.target().kind()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(component + " sets no setting"))
        .patch();
  }

  /**
   * {@code withApple}, an overlay rendered with the component, against {@code plain}, the same
   * without: the API workload {@code api} mounts both Secrets read-only with {@code mode} where the
   * ConfigMap's settings point, the ConfigMap gains only Apple settings the app reads, and nothing
   * else changes (the migrate Job and the sweep CronJob included).
   */
  private static void assertAppleMdmAdded(
      List<Object> withApple, List<Object> plain, String api, int mode) {
    var with = byName(withApple);
    var without = byName(plain);
    assertEquals(without.keySet(), with.keySet(), "the component adds or drops a resource");
    String configMap = "v1/ConfigMap/" + CONFIG_MAP;
    assertTrue(with.containsKey(api) && with.containsKey(configMap), with.keySet().toString());
    without.keySet().stream()
        .filter(key -> !key.equals(api) && !key.equals(configMap))
        .forEach(key -> assertEquals(without.get(key), with.get(key), key + " changed"));

    var appleSettings = AppProperties.byEnvForm(AppProperties.APPLE_MDM).keySet();
    var shipped = ((ConfigMap) without.get(configMap)).getData();
    var data = ((ConfigMap) with.get(configMap)).getData();
    assertTrue(shipped.keySet().stream().noneMatch(appleSettings::contains), "on as shipped");
    var kept = new TreeMap<>(data);
    kept.keySet().retainAll(shipped.keySet());
    assertEquals(new TreeMap<>(shipped), kept, "the component changed a shipped setting");
    var known = new HashSet<>(AppProperties.byEnvForm(AppProperties.CONFIG_MAP).keySet());
    known.addAll(appleSettings);
    var unknown = new TreeSet<>(data.keySet());
    unknown.removeAll(known);
    assertEquals(Set.of(), unknown, "the ConfigMap sets what the app does not read");

    var plainPod = Manifests.podsOf(List.of(without.get(api))).get(0);
    assertTrue(
        plainPod.volumes().stream().allMatch(v -> v.getSecret() == null),
        "a Secret volume as shipped");
    var pod = Manifests.podsOf(List.of(with.get(api))).get(0);
    var container = pod.containers().get(0);
    APPLE_FILES.forEach(
        (setting, from) -> {
          Path file = Path.of(data.get(setting));
          var mount =
              container.getVolumeMounts().stream()
                  .filter(m -> m.getMountPath().equals(file.getParent().toString()))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError(api + ": nothing at " + file.getParent()));
          assertEquals(Boolean.TRUE, mount.getReadOnly(), mount.toString());
          // A subPath mount would never see the Secret change (a push certificate added later).
          assertNull(mount.getSubPath(), mount.toString());
          var secret =
              pod.volumes().stream()
                  .filter(v -> v.getName().equals(mount.getName()))
                  .findFirst()
                  .orElseThrow()
                  .getSecret();
          assertNotNull(secret, mount.getName() + " is no Secret volume");
          assertEquals(from.secret(), secret.getSecretName(), setting);
          assertTrue(
              secret.getItems().stream()
                  .anyMatch(
                      item ->
                          item.getKey().equals(from.key())
                              && item.getPath().equals(file.getFileName().toString())),
              setting + ": " + secret.getItems());
          assertEquals(
              mode, secret.getDefaultMode(), setting + ": mode " + secret.getDefaultMode());
          // Only the push certificate may come later (no push until then); the device CA may not.
          assertEquals(
              from.secret().equals(APNS_SECRET),
              Boolean.TRUE.equals(secret.getOptional()),
              setting);
        });
    if (mode == 0440) {
      // Group-readable only: the pod's fsGroup is what lets the non-root user (185, 1001) read.
      var fsGroup = pod.security().getFsGroup();
      assertTrue(fsGroup != null && fsGroup > 0, "fsGroup " + fsGroup);
      assertEquals(Boolean.TRUE, pod.security().getRunAsNonRoot(), "the patch kept the rest");
    }
    // Apart from the two volumes, their mounts and the fsGroup, the API workload is as shipped.
    assertEquals(JSON.valueToTree(without.get(api)), withoutAppleMdm(with.get(api)));
  }

  /** Documents by apiVersion/kind/name. */
  private static Map<String, Object> byName(List<Object> documents) {
    var byName = new TreeMap<String, Object>();
    for (Object document : documents) {
      var resource = (HasMetadata) document;
      String key =
          resource.getApiVersion()
              + "/"
              + resource.getKind()
              + "/"
              + resource.getMetadata().getName();
      assertNull(byName.put(key, document), "two of " + key);
    }
    return byName;
  }

  /** A Deployment or Knative Service as JSON, without what the apple-mdm components add. */
  private static JsonNode withoutAppleMdm(Object workload) {
    var names = Set.of("device-ca", "apns");
    JsonNode tree = JSON.valueToTree(workload);
    JsonNode pod = tree.at("/spec/template/spec");
    pod.path("containers").forEach(c -> removeNamed(c.path("volumeMounts"), names));
    removeNamed(pod.path("volumes"), names);
    if (pod.path("securityContext") instanceof ObjectNode security) {
      security.remove("fsGroup");
    }
    return tree;
  }

  private static void removeNamed(JsonNode list, Set<String> names) {
    for (var items = list.elements(); items.hasNext(); ) {
      if (names.contains(items.next().path("name").asText())) {
        items.remove();
      }
    }
  }

  /** A copy of the directory tree {@code from} at {@code to}. */
  private static Path copyOf(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path copy = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    return to;
  }

  private static boolean isComponent(Path dir) {
    return Files.isRegularFile(dir.resolve("kustomization.yaml"))
        && kustomization(dir.resolve("kustomization.yaml")).isComponent();
  }

  private static String dockerfile(String name) throws IOException {
    return Files.readString(Manifests.PROJECT.resolve("src/main/docker").resolve(name));
  }

  private static List<String> instructions(String dockerfile, String keyword) {
    return dockerfile.lines().map(String::strip).filter(l -> l.startsWith(keyword + " ")).toList();
  }
}
