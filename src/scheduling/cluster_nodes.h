// What the scheduler sees of live cluster objects: a registered Node joined to the NodeClaim
// it was launched for, or a NodeClaim not registered yet (in flight), as an ExistingNode.
// Shared by the controllers' provisioning input and the offline simulation, which read the
// same objects from different stores.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "core/resource_list.h"
#include "core/taint.h"
#include "scheduling/scheduler.h"

namespace karpenter::scheduling {

inline constexpr std::string_view kLabelInitialized = "karpenter.sh/initialized";
inline constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";

// Karpenter's karpenter.sh/disrupted:NoSchedule taint: the node is on its way out.
bool HasDisruptedTaint(const std::vector<core::Taint>& taints);

// NodeClaims by the node they name in status.nodeName and by providerID, to join them to
// their Nodes. Holds pointers: the claims must outlive the index.
class NodeClaimIndex {
 public:
  void Add(const api::NodeClaim& claim);
  // The NodeClaim `node` was launched for, or nullptr.
  const api::NodeClaim* ClaimOf(const api::Node& node) const;

 private:
  std::map<std::string, const api::NodeClaim*, std::less<>> by_node_;
  std::map<std::string, const api::NodeClaim*, std::less<>> by_provider_id_;
};

// A registered Node (and its NodeClaim, or nullptr). Capacity and allocatable are the Node's
// status (either fills the other when one is empty); callers fill them when both are.
// Marked for deletion when cordoned, being deleted, tainted disrupted, or its NodeClaim is
// being deleted. Nodes Karpenter did not launch (no nodepool label) are initialized by
// definition; its own once labelled so or their NodeClaim's Initialized condition is True.
ExistingNode ExistingNodeOf(const api::Node& node, const api::NodeClaim* claim);

// A NodeClaim without a Node: what the node will look like once it registers (labels from its
// single-valued In requirements, then its labels). Capacity and allocatable are its status;
// callers fill them when both are empty. Never initialized.
ExistingNode ExistingNodeOfInFlightClaim(const api::NodeClaim& claim);

// What the scheduler requires of pods on `node`: its labels, and its hostname (the label, else
// its name) as kubernetes.io/hostname.
core::Requirements NodeRequirements(const ExistingNode& node);

// NodeRequirements kept between scheduling runs: a large cluster's nodes keep their labels
// for hours, and deriving (and freeing) 2,000 nodes' requirements was a tenth of every run of
// a controller. Entries are by node name and reused only while the labels are equal.
class NodeRequirementsCache {
 public:
  // Sets each node's `requirements`, reusing what the last Fill derived for the same name and
  // labels; forgets nodes not in `nodes`.
  void Fill(std::vector<ExistingNode>& nodes);

 private:
  struct Entry {
    core::Labels labels;
    std::shared_ptr<const core::Requirements> requirements;
    uint64_t fill = 0;  // the last Fill that saw the node
  };
  std::map<std::string, Entry, std::less<>> by_name_;
  uint64_t fill_ = 0;
};

// What `node_pool`'s existing nodes and in-flight NodeClaims hold against its spec.limits:
// the sum of their capacity, with `nodes` (their count), as upstream sums them.
core::ResourceList CapacityInUse(const std::vector<ExistingNode>& nodes,
                                 std::string_view node_pool);

}  // namespace karpenter::scheduling
