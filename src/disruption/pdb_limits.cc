#include "disruption/pdb_limits.h"

#include <algorithm>

#include "disruption/pod_rules.h"

namespace karpenter::disruption {
namespace {

std::string PdbKey(const api::PodDisruptionBudget& pdb) {
  return pdb.metadata.namespace_ + "/" + pdb.metadata.name;
}

bool ReadyIsFalse(const api::Pod& pod) {
  for (const api::PodCondition& condition : pod.status.conditions) {
    if (condition.type == "Ready" && condition.status == "False") return true;
  }
  return false;
}

}  // namespace

bool Selects(const api::PodDisruptionBudget& pdb, const api::Pod& pod) {
  return pdb.selector.has_value() && pdb.metadata.namespace_ == pod.metadata.namespace_ &&
         pdb.selector->Matches(pod.metadata.labels);
}

int32_t ComputeDisruptionsAllowed(const api::PodDisruptionBudget& pdb,
                                  const std::vector<const api::Pod*>& pods) {
  int64_t expected = 0;
  int64_t healthy = 0;
  for (const api::Pod* pod : pods) {
    if (!Selects(pdb, *pod) || IsTerminal(*pod)) continue;
    ++expected;
    if (!IsTerminating(*pod) && IsPodReady(*pod)) ++healthy;
  }
  int64_t desired = 0;
  if (pdb.max_unavailable) {
    desired = std::max<int64_t>(0, expected - pdb.max_unavailable->Scaled(expected, true));
  } else if (pdb.min_available) {
    desired = pdb.min_available->Scaled(expected, true);
  } else {
    return 0;
  }
  const int64_t allowed = healthy - desired;
  if (expected <= 0 || allowed <= 0) return 0;
  return static_cast<int32_t>(std::min<int64_t>(allowed, INT32_MAX));
}

PdbLimits::PdbLimits(const Snapshot& snapshot) {
  std::vector<const api::Pod*> all_pods;
  bool collected = false;
  for (const api::PodDisruptionBudget& pdb : snapshot.pdbs) {
    if (pdb.status) {
      items_.push_back({&pdb, pdb.status->disruptions_allowed});
      continue;
    }
    if (!collected) {
      for (const SnapshotNode& node : snapshot.nodes) {
        for (const Shared<api::Pod>& pod : node.pods) all_pods.push_back(pod.get());
      }
      collected = true;
    }
    items_.push_back({&pdb, ComputeDisruptionsAllowed(pdb, all_pods)});
  }
}

std::optional<std::string> PdbLimits::EvictionBlocked(const api::Pod& pod, Time now) const {
  if (!IsEvictable(pod, now)) return std::nullopt;
  std::vector<const Item*> matching;
  for (const Item& item : items_) {
    if (Selects(*item.pdb, pod)) matching.push_back(&item);
  }
  if (matching.size() > 1) {
    std::string keys;
    for (const Item* item : matching) keys += (keys.empty() ? "" : ", ") + PdbKey(*item->pdb);
    return "pod " + PodKey(pod) + " is selected by more than one PDB (" + keys +
           "), which the eviction API refuses";
  }
  if (matching.empty()) return std::nullopt;
  const Item& item = *matching.front();
  if (item.pdb->unhealthy_pod_eviction_policy == api::UnhealthyPodEvictionPolicy::kAlwaysAllow &&
      ReadyIsFalse(pod)) {
    return std::nullopt;
  }
  if (item.disruptions_allowed > 0) return std::nullopt;
  return "PDB " + PdbKey(*item.pdb) + " allows 0 disruptions (pod " + PodKey(pod) + ")";
}

}  // namespace karpenter::disruption
