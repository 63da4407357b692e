// The NodePool status controller: keeps what a NodePool says about itself current, as
// upstream's nodepool.counter and nodepool.hash controllers (sigs.k8s.io/karpenter
// pkg/controllers/nodepool/{counter,hash}) do. Key: the NodePool's name.
//
// Counter: status.resources is the sum of the capacity of the NodePool's nodes, starting from
// cpu, memory, pods, ephemeral-storage and nodes at 0, with "nodes" counting them, and
// status.nodes repeats that count. As upstream's cluster state counts them, a node is:
//  - a NodeClaim labelled karpenter.sh/nodepool=<pool> that has launched (status.providerID
//    set), joined to the Node with that providerID. Its capacity is the Node's once the Node
//    is initialized (karpenter.sh/initialized=true); before that the Node's, with resources it
//    lacks or reports as zero taken from the NodeClaim's status.capacity; without a Node, the
//    NodeClaim's status.capacity;
//  - a Node labelled with the pool that no NodeClaim names by providerID: its capacity.
// A node marked for deletion (NodeClaim or Node being deleted) or with no capacity yet does
// not count. (Upstream also drops nodes the disruption controller has picked before it
// deletes them; that mark lives in its memory, not in the API objects.)
//
// Hash: the NodePool carries karpenter.sh/nodepool-hash (disruption::NodePoolTemplateHash)
// and karpenter.sh/nodepool-hash-version. When the NodePool's version annotation is not
// ours, the NodePool's NodeClaims stamped by another version are re-stamped first
// (disruption::RestampAnnotations), as upstream does after a hash scheme change.
//
// Upstream's counter also requeues every 5 s; here every input is watched (NodePools,
// NodeClaims and Nodes enqueue their pool), so nothing is polled. A write happens only when
// something changed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "controllers/controller.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "core/resource_list.h"
#include "kube/cluster.h"

namespace karpenter::controllers {

// The resources status.resources would hold for `pool`'s nodes among `node_claims` and
// `nodes` (see the file comment), "nodes" included.
core::ResourceList NodePoolResources(const std::string& pool,
                                     const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims,
                                     const std::vector<kube::ObjectPtr<api::Node>>& nodes);

class NodePoolStatusController final : public Controller {
 public:
  static constexpr std::string_view kName = "nodepool.status";

  // Prefer Register(). `cluster` must outlive the controller.
  explicit NodePoolStatusController(kube::ClusterPort& cluster) : cluster_(cluster) {}
  ~NodePoolStatusController() override;
  NodePoolStatusController(const NodePoolStatusController&) = delete;
  NodePoolStatusController& operator=(const NodePoolStatusController&) = delete;

  // Adds the controller to `manager`, watches NodePools, NodeClaims and Nodes (each change
  // enqueues the NodePool concerned), and enqueues every existing NodePool. Returns it (owned
  // by the manager), or nullptr when the manager already has one.
  static NodePoolStatusController* Register(Manager& manager, kube::ClusterPort& cluster);

  std::string_view Name() const override { return kName; }
  // Brings the NodePool's status.resources, status.nodes and hash annotations up to date.
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  void StartWatches(Manager& manager);
  void RestampNodeClaims(const api::NodePool& pool);

  kube::ClusterPort& cluster_;
  std::optional<kube::WatchId> pool_watch_, claim_watch_, node_watch_;
};

// Adds the NodePool status controller to `manager` (NodePoolStatusController::Register).
void RegisterNodePoolStatus(Manager& manager, kube::ClusterPort& cluster,
                            const core::Clock& clock);

}  // namespace karpenter::controllers
