package dev.deviceactions.deploy;

import java.util.List;

/**
 * The part of kustomize's Kustomization that deploy/ uses, and of its Component (kind Component,
 * apiVersion v1alpha1: the same fields, applied by an overlay that lists it under {@code
 * components}); any other field fails the strict parse.
 */
record Kustomization(
    String apiVersion,
    String kind,
    List<String> resources,
    List<String> components,
    List<Image> images,
    List<Patch> patches) {

  List<String> resourcesOrEmpty() {
    return resources == null ? List.of() : resources;
  }

  List<String> componentsOrEmpty() {
    return components == null ? List.of() : components;
  }

  List<Image> imagesOrEmpty() {
    return images == null ? List.of() : images;
  }

  List<Patch> patchesOrEmpty() {
    return patches == null ? List.of() : patches;
  }

  boolean isComponent() {
    return "Component".equals(kind);
  }

  /** An image override: containers whose image is {@code name} get {@code newName:newTag}. */
  record Image(String name, String newName, String newTag, String digest) {}

  /**
   * A patch, inline or from a file, applied to the resources that {@code target} selects: a
   * strategic merge patch (a partial manifest) or a JSON patch (a list of operations).
   */
  record Patch(String path, String patch, Target target) {}

  /** Which resources a patch applies to. */
  record Target(String group, String version, String kind, String name) {}
}
