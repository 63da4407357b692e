// Which nodes disruption may consider at all, and why every other node is left alone.
// Mirrors upstream Karpenter's candidate rules (StateNode.ValidateNodeDisruptable,
// ValidatePodsDisruptable and NewCandidate): these apply to every graceful method (emptiness,
// drift, consolidation); expiry is forceful and does not use them.
#pragma once

#include <string>
#include <vector>

#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "catalog/instance_type.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

// A node disruption may act on.
struct Candidate {
  const SnapshotNode* node = nullptr;  // points into the snapshot
  const api::NodePool* node_pool = nullptr;
  // The node's instance type in the snapshot's catalog; nullptr when the catalog is absent or
  // no longer has the type (drift reports that; consolidation needs a price and skips it).
  const catalog::InstanceType* instance_type = nullptr;
  // Pods that would need a new home (IsReschedulable), in the node's order.
  std::vector<const api::Pod*> reschedulable_pods;
  // NodeDisruptionCost: lower is cheaper to disrupt.
  double disruption_cost = 0;

  const std::string& Name() const { return node->Name(); }
};

// A node that is not a candidate (or that a method passed over), and why, in words a person can
// act on: `pod default/db-0 has karpenter.sh/do-not-disrupt`, `PDB default/web allows 0
// disruptions (pod default/web-1)`.
struct BlockedNode {
  std::string node;
  std::string reason;

  friend bool operator==(const BlockedNode&, const BlockedNode&) = default;
};

struct CandidateSet {
  std::vector<Candidate> candidates;  // in snapshot order
  std::vector<BlockedNode> blocked;   // in snapshot order, one reason per node
};

// Splits the snapshot's nodes. A node is a candidate when, checked in this order (the first
// failure is the reason): it has a NodeClaim (Karpenter manages it) and a Node; it is
// initialized; it is not being deleted; it is not nominated for pending pods; the Node has no
// karpenter.sh/do-not-disrupt: "true"; it has a karpenter.sh/nodepool label naming a NodePool
// of the snapshot; no active pod has an active do-not-disrupt (DoNotDisruptReason); and every
// pod may be evicted under its PDBs (PdbLimits::EvictionBlocked). `candidates` point into
// `snapshot`, which must outlive them.
CandidateSet FindCandidates(const Snapshot& snapshot);

}  // namespace karpenter::disruption
