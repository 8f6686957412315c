package dev.deviceactions.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.util.List;

/** This project's manifests by name, parsed strictly (paths relative to deploy/). */
final class DeployFiles {
  static final String BASE = "kubernetes/base/";
  static final String JVM = "kubernetes/overlays/jvm/";
  static final String NATIVE = "kubernetes/overlays/native/";
  static final String KNATIVE = "knative/";
  static final String APPLE_MDM = "kubernetes/components/apple-mdm/";
  static final String KNATIVE_APPLE_MDM = "knative/components/apple-mdm/";

  private DeployFiles() {}

  static Deployment deployment() {
    return Manifests.one(BASE + "deployment.yaml", Deployment.class);
  }

  static Container deploymentContainer() {
    return deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static CronJob cronJob(String dir) {
    return Manifests.one(dir + "cronjob-sweep.yaml", CronJob.class);
  }

  static Job migrateJob(String dir) {
    return Manifests.one(dir + "job-migrate.yaml", Job.class);
  }

  static io.fabric8.knative.serving.v1.Service knativeService() {
    return Manifests.one(KNATIVE + "service.yaml", io.fabric8.knative.serving.v1.Service.class);
  }

  /** The Service that device agents call, so that their held check-ins have limits of their own. */
  static io.fabric8.knative.serving.v1.Service knativeAgentService() {
    return Manifests.one(
        KNATIVE + "service-agent.yaml", io.fabric8.knative.serving.v1.Service.class);
  }

  static Container knativeContainer() {
    return knativeService().getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static ConfigMap configMap(String dir) {
    return Manifests.one(dir + "configmap.yaml", ConfigMap.class);
  }

  /** A value of the base ConfigMap, "" when it is not set. */
  static String configValue(String key) {
    return configMap(BASE).getData().getOrDefault(key, "");
  }

  static Secret secretExample() {
    return Manifests.one(BASE + "secret.example.yaml", Secret.class);
  }

  static Kustomization kustomization(String dir) {
    return Manifests.one(dir + "kustomization.yaml", Kustomization.class);
  }

  static Kustomization kustomization(Path file) {
    return kustomization(Manifests.DEPLOY.relativize(file.getParent()) + "/");
  }

  static List<Path> kustomizationFiles() {
    return Manifests.yamlFiles().stream()
        .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
        .toList();
  }
}
