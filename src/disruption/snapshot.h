// The disruption view of a cluster at one instant: every node with its NodeClaim and bound
// pods, the NodePools, PDBs and EC2NodeClasses, the instance-type catalog, and the time `now`.
// Disruption decisions are pure functions of a Snapshot: they read no clock, so `now` is part
// of the input.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/model/ec2_node_class.h"
#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "api/model/pod_disruption_budget.h"
#include "catalog/catalog.h"
#include "catalog/unavailable_offerings.h"
#include "core/requirements.h"

namespace karpenter::disruption {

// The same time type the catalog's unavailable-offerings cache takes.
using Time = catalog::Time;

// The well-known keys disruption reads.
inline constexpr std::string_view kNodePoolLabel = "karpenter.sh/nodepool";
inline constexpr std::string_view kInitializedLabel = "karpenter.sh/initialized";
inline constexpr std::string_view kDoNotDisruptAnnotation = "karpenter.sh/do-not-disrupt";
inline constexpr std::string_view kPodDeletionCostAnnotation =
    "controller.kubernetes.io/pod-deletion-cost";
inline constexpr std::string_view kNodePoolHashAnnotation = "karpenter.sh/nodepool-hash";
inline constexpr std::string_view kNodePoolHashVersionAnnotation =
    "karpenter.sh/nodepool-hash-version";
inline constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";

// A time of the API model (seconds since the epoch) as a Time.
inline Time FromEpochSeconds(int64_t seconds) { return Time(std::chrono::seconds(seconds)); }
// "2024-05-27T10:00:00Z" (RFC 3339 in UTC, whole seconds rounded down), for reasons.
std::string FormatTime(Time time);

// What the cloud reports about a node's instance that the NodeClaim does not record: NodeClass
// drift compares it with the EC2NodeClass status. Unknown parts (nullopt) are not compared.
struct InstanceNetwork {
  std::optional<std::string> subnet_id;
  std::optional<std::vector<std::string>> security_group_ids;
};

// Objects are shared, never copied: a snapshot of a large cluster is built on every pass, and
// the cluster port hands out the same immutable objects (kube::ObjectPtr is this type).
template <typename T>
using Shared = std::shared_ptr<const T>;

// `values` moved into shared objects, in order (for callers that hold objects by value).
template <typename T>
std::vector<Shared<T>> ShareAll(std::vector<T> values) {
  std::vector<Shared<T>> shared;
  shared.reserve(values.size());
  for (T& value : values) shared.push_back(std::make_shared<const T>(std::move(value)));
  return shared;
}

// One node as disruption sees it: the Node, its NodeClaim, and the pods bound to it. A
// NodeClaim not yet registered has no Node; a node Karpenter does not manage has no NodeClaim.
struct SnapshotNode {
  Shared<api::Node> node;             // null when not registered
  Shared<api::NodeClaim> node_claim;  // null when not managed
  // The karpenter.sh/nodepool label ("" when absent).
  std::string node_pool;
  // The node carries karpenter.sh/initialized=true: pods may be scheduled to it.
  bool initialized = false;
  // Node or NodeClaim is being deleted (deletionTimestamp, or the NodeClaim's
  // InstanceTerminating condition), or the Node carries kDisruptedTaintKey:NoSchedule, which
  // Karpenter puts on the nodes of a command it is carrying out (upstream counts those as
  // marked for deletion).
  bool deleting = false;
  // A recent provisioning pass chose this node for pending pods.
  bool nominated = false;
  // Every pod bound to the node (DaemonSet, mirror and terminal pods included).
  std::vector<Shared<api::Pod>> pods;
  InstanceNetwork instance;

  // The Node's name, else the NodeClaim's.
  const std::string& Name() const;
  // The Node's labels, else the NodeClaim's (as upstream reads an unregistered node's).
  const core::Labels& Labels() const;
  // The Node's Ready condition is True. A Node with no Ready condition at all counts as ready:
  // hand-written snapshots omit status, and a kubelet always reports the condition.
  bool Ready() const;
};

struct Snapshot {
  Time now;
  std::vector<SnapshotNode> nodes;
  std::vector<api::NodePool> node_pools;
  std::vector<api::PodDisruptionBudget> pdbs;
  std::vector<api::EC2NodeClass> node_classes;
  // The instance types NodePools may launch; nullptr skips the instance-type drift check.
  std::shared_ptr<const catalog::Catalog> catalog;

  // By name; nullptr when absent.
  const api::NodePool* FindNodePool(std::string_view name) const;
  const api::EC2NodeClass* FindNodeClass(std::string_view name) const;
};

// Objects as listed from the API server (or read from files), to assemble into a Snapshot.
struct ClusterObjects {
  std::vector<Shared<api::Node>> nodes;
  std::vector<Shared<api::NodeClaim>> node_claims;
  std::vector<Shared<api::Pod>> pods;
  std::vector<api::PodDisruptionBudget> pdbs;
  std::vector<api::NodePool> node_pools;
  std::vector<api::EC2NodeClass> node_classes;
  // Names of nodes a provisioning pass nominated for pending pods.
  std::vector<std::string> nominated_nodes;
  std::shared_ptr<const catalog::Catalog> catalog;
};

// Pairs each NodeClaim with its Node (same provider ID, or the Node named by the claim's
// status.nodeName), binds pods to nodes by spec.nodeName (pods bound to no listed node, and
// pending pods, are left out), and derives node_pool, initialized and deleting. Nodes keep the
// order of `objects.nodes`, then claims without a Node follow in their order.
Snapshot BuildSnapshot(ClusterObjects objects, Time now);

}  // namespace karpenter::disruption
