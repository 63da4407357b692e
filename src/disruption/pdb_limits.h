// PodDisruptionBudgets as disruption checks them: may every pod on a node be evicted?
// Mirrors upstream Karpenter's pdb.Limits (sigs.k8s.io/karpenter pkg/utils/pdb).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/model/pod.h"
#include "api/model/pod_disruption_budget.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

// How many of `pods` a PDB lets be disrupted, computed the way Kubernetes' disruption
// controller fills status.disruptionsAllowed: pods it selects (same namespace; a missing
// selector selects none, an empty one all) and that are not terminal count as expected (the
// controllers' replica count is not in a snapshot, so the selected pods stand in for it);
// healthy = selected, not terminating and ready (IsPodReady); desired healthy = minAvailable
// (a percentage of expected, rounded up), or expected − maxUnavailable (rounded up); allowed
// = healthy − desired, and 0 when that is negative or nothing is expected. A PDB with neither
// field allows 0.
int32_t ComputeDisruptionsAllowed(const api::PodDisruptionBudget& pdb,
                                  const std::vector<const api::Pod*>& pods);

// Whether `pdb` selects `pod` (same namespace, selector matches its labels).
bool Selects(const api::PodDisruptionBudget& pdb, const api::Pod& pod);

class PdbLimits {
 public:
  // The PDBs of `snapshot`, each with the disruptions it allows: status.disruptionsAllowed when
  // the object has a status (as upstream reads it), else ComputeDisruptionsAllowed over every
  // pod in the snapshot.
  explicit PdbLimits(const Snapshot& snapshot);

  // Why evicting `pod` is refused, or nullopt when it may be evicted. Pods Karpenter would not
  // evict (IsEvictable false) are never refused. As upstream: a pod selected by more than one
  // PDB is refused (the eviction API does not support it); a pod selected by one PDB that
  // allows 0 disruptions is refused, unless the PDB's unhealthyPodEvictionPolicy is
  // AlwaysAllow and the pod's Ready condition is False.
  std::optional<std::string> EvictionBlocked(const api::Pod& pod, Time now) const;

  // The disruptions the PDB at `index` of the snapshot's pdbs allows.
  int32_t disruptions_allowed(size_t index) const { return items_[index].disruptions_allowed; }

 private:
  struct Item {
    const api::PodDisruptionBudget* pdb;
    int32_t disruptions_allowed;
  };
  std::vector<Item> items_;
};

}  // namespace karpenter::disruption
