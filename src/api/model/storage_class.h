// storage.k8s.io/v1 StorageClass: how claims of the class get their volumes, and where those
// volumes may be created (allowedTopologies). Fields not modelled here survive in `raw`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "api/model/object_meta.h"

namespace karpenter::api {

// The annotations that make a class the default for claims without storageClassName (GA and
// the older beta spelling, which the API server still honours).
inline constexpr std::string_view kDefaultStorageClassAnnotation =
    "storageclass.kubernetes.io/is-default-class";
inline constexpr std::string_view kBetaDefaultStorageClassAnnotation =
    "storageclass.beta.kubernetes.io/is-default-class";

// When a claim of the class gets its volume: at once (Immediate), or once a pod using it is
// scheduled, in that pod's topology (WaitForFirstConsumer).
enum class VolumeBindingMode { kImmediate, kWaitForFirstConsumer };

// "Immediate" or "WaitForFirstConsumer".
inline std::string_view ToString(VolumeBindingMode mode) {
  return mode == VolumeBindingMode::kWaitForFirstConsumer ? "WaitForFirstConsumer" : "Immediate";
}

// A label and the values it may have (any of them).
struct TopologySelectorLabelRequirement {
  std::string key;
  std::vector<std::string> values;

  friend bool operator==(const TopologySelectorLabelRequirement&,
                         const TopologySelectorLabelRequirement&) = default;
};

// Every expression must hold.
struct TopologySelectorTerm {
  std::vector<TopologySelectorLabelRequirement> match_label_expressions;

  friend bool operator==(const TopologySelectorTerm&, const TopologySelectorTerm&) = default;
};

struct StorageClass {
  ObjectMeta metadata;
  std::string provisioner;  // the CSI driver (or in-tree plugin) that creates the volumes
  // nullopt when absent: the API server defaults it to Immediate.
  std::optional<VolumeBindingMode> volume_binding_mode;
  // Where volumes may be created: any of the terms. Empty means anywhere.
  std::vector<TopologySelectorTerm> allowed_topologies;
  Json raw;

  VolumeBindingMode EffectiveVolumeBindingMode() const {
    return volume_binding_mode.value_or(VolumeBindingMode::kImmediate);
  }
  // Whether the class is marked as the default (either annotation set to "true").
  bool IsDefault() const {
    for (std::string_view key :
         {kDefaultStorageClassAnnotation, kBetaDefaultStorageClassAnnotation}) {
      auto it = metadata.annotations.find(std::string(key));
      if (it != metadata.annotations.end() && it->second == "true") return true;
    }
    return false;
  }
};

}  // namespace karpenter::api
