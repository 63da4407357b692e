// core/v1 PersistentVolumeClaim and PersistentVolume: the fields Karpenter reads to learn where
// a pod's storage lives (the zone of a bound volume). Fields not modelled here survive in `raw`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "api/model/affinity.h"
#include "api/model/object_meta.h"

namespace karpenter::api {

// The annotation the PV controller sets on a claim once its binding to spec.volumeName is
// complete. Without it kube-scheduler (and so Karpenter) treats the claim as not yet bound.
inline constexpr std::string_view kBindCompletedAnnotation = "pv.kubernetes.io/bind-completed";

// status.phase values of a claim.
inline constexpr std::string_view kClaimPending = "Pending";
inline constexpr std::string_view kClaimBound = "Bound";
inline constexpr std::string_view kClaimLost = "Lost";  // its volume no longer exists

struct PersistentVolumeClaim {
  ObjectMeta metadata;
  // spec.storageClassName. nullopt when absent (the API server then assigns the default
  // StorageClass, if there is one); "" asks for no class (static volumes only).
  std::optional<std::string> storage_class_name;
  std::string volume_name;  // spec.volumeName: the PV it is bound (or pre-bound) to
  std::string phase;        // status.phase: Pending, Bound or Lost; empty without a status
  Json raw;

  bool BindCompleted() const {
    return metadata.annotations.contains(std::string(kBindCompletedAnnotation));
  }
};

// spec.claimRef of a volume: the claim it is bound or reserved for.
struct ClaimReference {
  std::string namespace_;
  std::string name;
  std::string uid;

  friend bool operator==(const ClaimReference&, const ClaimReference&) = default;
};

struct PersistentVolume {
  ObjectMeta metadata;
  std::string storage_class_name;
  // spec.nodeAffinity.required.nodeSelectorTerms: the nodes that can reach the volume (any
  // term). Empty when the volume has no node affinity.
  std::vector<NodeSelectorTerm> node_affinity;
  std::optional<ClaimReference> claim_ref;
  // spec.local.path and spec.hostPath.path: set for volumes on one node's disk, whose hostname
  // affinity Karpenter ignores (a new node can never be that node).
  std::optional<std::string> local_path;
  std::optional<std::string> host_path;
  std::string phase;  // status.phase: Pending, Available, Bound, Released, Failed
  Json raw;
};

}  // namespace karpenter::api
