package dev.deviceactions.deploy;

import java.util.List;

/**
 * The part of kustomize's Kustomization that deploy/ uses; any other field fails the strict parse.
 */
record Kustomization(
    String apiVersion,
    String kind,
    List<String> resources,
    List<Image> images,
    List<Patch> patches) {

  List<String> resourcesOrEmpty() {
    return resources == null ? List.of() : resources;
  }

  List<Image> imagesOrEmpty() {
    return images == null ? List.of() : images;
  }

  List<Patch> patchesOrEmpty() {
    return patches == null ? List.of() : patches;
  }

  /** An image override: containers whose image is {@code name} get {@code newName:newTag}. */
  record Image(String name, String newName, String newTag, String digest) {}

  /** A patch, inline or from a file, applied to the resources that {@code target} selects. */
  record Patch(String path, String patch, Target target) {}

  /** Which resources a patch applies to. */
  record Target(String group, String version, String kind, String name) {}
}
