// The scheduling simulation: which existing nodes pending pods fit on, and which new NodeClaims
// to launch for the rest, honouring every constraint Kubernetes and Karpenter have. A pure
// function of its input (no I/O, no clock, no threads), as upstream's provisioner
// scheduler (sigs.k8s.io/karpenter pkg/controllers/provisioning/scheduling) behaves.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "api/model/workloads.h"
#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "catalog/offering.h"
#include "core/requirements.h"
#include "core/resource_list.h"
#include "core/taint.h"

namespace karpenter::scheduling {

// Capacity that already exists or is on its way: a registered Node, or a NodeClaim launched
// earlier (in-flight, possibly not yet a Node). Pods bound to it consume its allocatable and
// count for topology spread and pod (anti-)affinity.
struct ExistingNode {
  std::string name;
  std::string node_pool;  // karpenter.sh/nodepool, empty when not Karpenter's
  core::Labels labels;    // includes hostname, zone, instance type, capacity type, ...
  std::vector<core::Taint> taints;
  core::ResourceList capacity;        // counted against the NodePool's limits
  core::ResourceList allocatable;     // what pods may use
  std::vector<const api::Pod*> pods;  // bound pods (DaemonSet pods included)
  // Initialized nodes are tried before uninitialized ones (upstream orders them first).
  bool initialized = true;
  // The node is being deleted or is cordoned: nothing new is placed on it.
  bool marked_for_deletion = false;
  // NodeRequirements(*this), when the caller keeps them between runs (NodeRequirementsCache);
  // derived from `labels` when null.
  std::shared_ptr<const core::Requirements> requirements;
};

// A NodePool the scheduler may launch from, with the instance types its NodeClass allows.
struct NodePoolOption {
  const api::NodePool* node_pool = nullptr;
  // The instance types for this NodePool (allocatable computed with its NodeClass's settings).
  // The scheduler filters them by the NodePool's requirements itself.
  const catalog::Catalog* catalog = nullptr;
  // Sum of the capacity of the NodePool's existing nodes and in-flight NodeClaims, with
  // `nodes` (count), for spec.limits.
  core::ResourceList in_use;
};

struct SchedulingInput {
  // Pods to place, in any order (the scheduler sorts them).
  std::vector<const api::Pod*> pending;
  std::vector<ExistingNode> existing_nodes;
  // Ready NodePools, in any order (the scheduler orders by weight, then name).
  std::vector<NodePoolOption> node_pools;
  // DaemonSets whose pods will run on every new node they tolerate and select.
  std::vector<const api::DaemonSet*> daemon_sets;
  // Namespace labels, for pod (anti-)affinity terms with a namespaceSelector. Optional: an
  // empty namespaceSelector selects every namespace without it.
  std::map<std::string, core::Labels> namespace_labels;
};

// A NodeClaim the scheduler decided to launch.
struct NewNodeClaim {
  std::string node_pool;
  // What the node must satisfy: NodePool template requirements ∩ pods' requirements ∩
  // topology decisions (zone, capacity type, ... narrowed as pods were added).
  core::Requirements requirements;
  // Instance types that fit all pods and daemon overhead, cheapest available compatible
  // offering first, at most 600 (upstream's MaxInstanceTypes).
  std::vector<const catalog::InstanceType*> instance_type_options;
  std::vector<const api::Pod*> pods;
  // The pods' requests plus the DaemonSet overhead, with `pods`.
  core::ResourceList requests;
  core::ResourceList daemon_overhead;
  std::vector<core::Taint> taints;  // the NodePool template's taints
};

// What the scheduler placed on one existing node.
struct ExistingNodePlacement {
  std::string node_name;
  std::vector<const api::Pod*> pods;
};

// A pod that could not be placed, and why, in words a person can act on.
struct UnschedulablePod {
  const api::Pod* pod = nullptr;
  std::string reason;
};

struct SchedulingResult {
  std::vector<NewNodeClaim> new_node_claims;
  // Only nodes that received pods, in the order of SchedulingInput::existing_nodes.
  std::vector<ExistingNodePlacement> existing_node_placements;
  std::vector<UnschedulablePod> unschedulable;
};

// Places `input.pending`. Deterministic: the same input gives the same result.
SchedulingResult Schedule(const SchedulingInput& input);

// A cluster prepared once for many scheduling runs that differ only in the pods they place and
// the existing nodes they leave out, as consolidation simulates taking a few nodes away at a
// time from thousands. Each run gives exactly what Schedule() gives for the same input, but
// the work that depends only on the cluster is done once and shared: the NodePools' instance
// types and their caches, each existing node's free room, the topology counts of the pods
// running on existing nodes (a run subtracts the share of the nodes it leaves out), and which
// existing nodes a kind of pod can never fit. Runs add to those caches, so a context is not
// for concurrent use.
class SchedulingContext {
 public:
  // Prepares `base`; its pending pods are ignored.
  explicit SchedulingContext(SchedulingInput base);
  ~SchedulingContext();
  SchedulingContext(const SchedulingContext&) = delete;
  SchedulingContext& operator=(const SchedulingContext&) = delete;

  const SchedulingInput& base() const;

  // Schedule() of `base` with `pending` as its pending pods and without the existing nodes
  // named in `removed` (names that match none are ignored).
  SchedulingResult Schedule(const std::vector<const api::Pod*>& pending,
                            const std::vector<std::string_view>& removed) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The offering a NodeClaim would be launched on: the cheapest available offering, over the
// claim's instance-type options, whose zone and capacity type the claim's requirements allow
// (spot before on-demand at equal price, as the AWS provider prefers spot when allowed).
struct Launch {
  const catalog::InstanceType* instance_type = nullptr;
  const catalog::Offering* offering = nullptr;
};
// nullptr members when no option has an allowed available offering.
Launch ChooseLaunch(const NewNodeClaim& claim);

}  // namespace karpenter::scheduling
