#include "disruption/candidates.h"

#include <optional>

#include "catalog/labels.h"
#include "disruption/disruption_cost.h"
#include "disruption/pdb_limits.h"
#include "disruption/pod_rules.h"

namespace karpenter::disruption {
namespace {

// The first node-level rule `node` breaks, or nullopt.
std::optional<std::string> NodeBlocked(const SnapshotNode& node, const Snapshot& snapshot) {
  if (!node.node_claim) return "node is not managed by Karpenter (it has no NodeClaim)";
  if (!node.node) return "NodeClaim has no registered Node yet";
  if (!node.initialized) {
    return "node is not initialized yet (no " + std::string(kInitializedLabel) +
           ": \"true\" label)";
  }
  if (node.deleting) return "node is already being deleted or disrupted";
  if (node.nominated) return "node is nominated for pending pods";
  static const std::string kKey(kDoNotDisruptAnnotation);  // once, not once per node
  auto annotation = node.node->metadata.annotations.find(kKey);
  if (annotation != node.node->metadata.annotations.end() && annotation->second == "true") {
    return "node has " + kKey + ": \"true\"";
  }
  if (node.node_pool.empty()) {
    return "node has no " + std::string(kNodePoolLabel) + " label";
  }
  if (snapshot.FindNodePool(node.node_pool) == nullptr) {
    return "NodePool \"" + node.node_pool + "\" not found";
  }
  return std::nullopt;
}

// The first pod-level rule `node` breaks, or nullopt: do-not-disrupt on any pod first, then
// PDBs, as upstream checks them.
std::optional<std::string> PodsBlocked(const SnapshotNode& node, const PdbLimits& pdbs, Time now) {
  for (const Shared<api::Pod>& pod : node.pods) {
    if (std::optional<std::string> reason = DoNotDisruptReason(*pod, now)) return reason;
  }
  for (const Shared<api::Pod>& pod : node.pods) {
    if (std::optional<std::string> reason = pdbs.EvictionBlocked(*pod, now)) return reason;
  }
  return std::nullopt;
}

Candidate MakeCandidate(const SnapshotNode& node, const Snapshot& snapshot) {
  Candidate candidate;
  candidate.node = &node;
  candidate.node_pool = snapshot.FindNodePool(node.node_pool);
  if (snapshot.catalog) {
    static const std::string kKey(catalog::kLabelInstanceType);
    auto type = node.Labels().find(kKey);
    if (type != node.Labels().end()) candidate.instance_type = snapshot.catalog->Find(type->second);
  }
  for (const Shared<api::Pod>& pod : node.pods) {
    if (IsReschedulable(*pod)) candidate.reschedulable_pods.push_back(pod.get());
  }
  candidate.disruption_cost = NodeDisruptionCost(node, *candidate.node_pool, snapshot.now);
  return candidate;
}

}  // namespace

CandidateSet FindCandidates(const Snapshot& snapshot) {
  CandidateSet set;
  set.candidates.reserve(snapshot.nodes.size());
  const PdbLimits pdbs(snapshot);
  for (const SnapshotNode& node : snapshot.nodes) {
    std::optional<std::string> reason = NodeBlocked(node, snapshot);
    if (!reason) reason = PodsBlocked(node, pdbs, snapshot.now);
    if (reason) {
      set.blocked.push_back({node.Name(), *std::move(reason)});
      continue;
    }
    set.candidates.push_back(MakeCandidate(node, snapshot));
  }
  return set;
}

}  // namespace karpenter::disruption
