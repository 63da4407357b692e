// MemoryCluster: the cluster port implemented in memory, with the API server's semantics, for
// simulations, tests and the standalone mode. Single-threaded and deterministic: uids are
// "uid-1", "uid-2", ...; resourceVersions come from one counter shared by every kind (etcd's
// revision) as decimal strings; timestamps come from the injected clock, in whole seconds.
//
// What it promises beyond cluster.h:
// - Watch events are never delivered inside a write: they queue, and Deliver() hands them out
//   in exactly the order of the writes, across all kinds (so by increasing resourceVersion).
//   Handlers may write; the events of those writes are delivered by the same Deliver() call.
// - Garbage collection runs inside the write that triggers it: when an owner leaves the store,
//   its dependents (matched by owner uid; a namespaced owner only owns objects of its own
//   namespace) are deleted in the background, recursively, except those that still have
//   another owner in the store, which only lose the reference. A dependent whose owner never
//   existed is left alone (tests name owners that are not stored). Orphan propagation strips
//   the references first; foreground propagation gives the owner deletionTimestamp and the
//   "foregroundDeletion" finalizer, deletes every dependent in the foreground, and removes
//   the owner once no dependent is left (blockOwnerDeletion is not looked at: every
//   dependent is waited for).
// - An object being deleted may still be written (spec, status, metadata: Kubernetes allows
//   it, and Karpenter taints terminating nodes), but may not gain finalizers (kInvalid).
// - A write that changes nothing takes no revision and emits no event, as the API server.
// - Create keeps the caller's status (so tests can create running pods in one call) but
//   starts a pod with no phase as Pending; a namespaced object needs a namespace (kInvalid),
//   a cluster-scoped one loses its namespace; a resourceVersion is refused (kInvalid).
//   Namespaces are not required to exist and deleting one deletes nothing inside it.
// - Pods are admitted as by the API server's Priority plugin (kube/priority_admission.h):
//   spec.priority comes from the pod's PriorityClass, an unknown class is kForbidden. The
//   built-in system-cluster-critical and system-node-critical classes are known without being
//   stored (so listing PriorityClasses shows only the ones written).
// - UpdateStatus on a kind whose model has no status (Deployment, ReplicaSet, StatefulSet,
//   DaemonSet, Namespace, PriorityClass) fails with kInvalid.
//
// Costs (n objects of a kind): Get and every write O(log n) plus one copy of the written
// object; List(namespace) walks only that namespace, List() all n, neither copies an object;
// garbage collection finds dependents through a uid index. Linear paths left: a label selector
// is matched against every object in the listed range, and Evict/BudgetStatus scan the
// budgets of the pod's namespace and, when one selects the pod, that namespace's pods.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::kube {

namespace internal {
class ClusterState;
template <class T>
class MemoryResource;
}  // namespace internal

class MemoryCluster final : public ClusterPort {
 public:
  // Delivering more events than this in one Deliver() call means handlers keep writing in a
  // loop; the call stops there and the rest stays queued (PendingEvents() tells).
  static constexpr size_t kDefaultDeliverLimit = 1'000'000;

  // `clock` must outlive the cluster.
  explicit MemoryCluster(const core::Clock& clock);
  ~MemoryCluster() override;
  MemoryCluster(const MemoryCluster&) = delete;
  MemoryCluster& operator=(const MemoryCluster&) = delete;

  Resource<api::Pod>& Pods() override;
  Resource<api::Node>& Nodes() override;
  Resource<api::NodeClaim>& NodeClaims() override;
  Resource<api::NodePool>& NodePools() override;
  Resource<api::EC2NodeClass>& NodeClasses() override;
  Resource<api::PodDisruptionBudget>& PodDisruptionBudgets() override;
  Resource<api::Deployment>& Deployments() override;
  Resource<api::ReplicaSet>& ReplicaSets() override;
  Resource<api::StatefulSet>& StatefulSets() override;
  Resource<api::DaemonSet>& DaemonSets() override;
  Resource<api::Namespace>& Namespaces() override;
  Resource<api::PriorityClass>& PriorityClasses() override;

  // As the API server's eviction subresource. A pod that is Pending, Succeeded, Failed or
  // already being deleted is deleted without looking at budgets. Otherwise: more than one
  // budget selecting the pod fails with kInvalid (a 500 upstream); a pod that is not ready
  // goes when its budget's unhealthyPodEvictionPolicy is AlwaysAllow, or (IfHealthyBudget,
  // the default) when currentHealthy >= desiredHealthy > 0; else the pod goes only when the
  // budget allows a disruption now (BudgetStatus), else kTooManyRequests naming the budget.
  // The evicted pod gets the DisruptionTarget condition, then is deleted (its finalizers are
  // honoured). Since the budget is recomputed from the store on every eviction, an evicted
  // pod (now being deleted or gone) no longer counts as healthy: that is the disruption
  // upstream records in status.disruptedPods.
  ApiResult<void> Evict(const ObjectKey& pod) override;
  // Sets spec.nodeName and the PodScheduled=True condition. kConflict for a pod that is bound
  // or being deleted, kInvalid for an empty node name. The node need not exist (as upstream).
  ApiResult<ObjectPtr<api::Pod>> Bind(const ObjectKey& pod, const std::string& node) override;

  // Delivers queued watch events in write order, including those of writes the handlers make
  // meanwhile, until the queue is empty or `limit` events were delivered. Returns how many
  // were delivered. A handler calling Deliver() gets 0 (the outer call carries on).
  size_t Deliver(size_t limit = kDefaultDeliverLimit);
  // Events written but not delivered yet.
  size_t PendingEvents() const;
  // The resourceVersion of the latest write (0 before any).
  int64_t LastResourceVersion() const;

  // The status the disruption controller would give `budget` now, counted from the store.
  // expectedPods, where it comes from the controllers' scale, sums the replicas of the
  // selected pods' ReplicaSets (the Deployment's when a Deployment runs the ReplicaSet) and
  // StatefulSets found in the store. A pod whose controller is not found there (no controller,
  // another kind, or not stored) counts as one expected pod, terminating or not. (Upstream
  // counts such pods as 0 or fails the budget closed; one per pod keeps simulated bare pods
  // evictable while still counting a just-evicted pod until it is gone.)
  api::PodDisruptionBudgetStatus BudgetStatus(const api::PodDisruptionBudget& budget) const;

 private:
  struct ControllerScale {
    std::string uid;
    int32_t replicas = 0;
  };
  std::optional<ControllerScale> ScaleOfController(const api::Pod& pod) const;
  int32_t ExpectedScale(const std::vector<ObjectPtr<api::Pod>>& pods) const;
  std::optional<ApiError> CheckBudget(const api::PodDisruptionBudget& budget,
                                      const api::Pod& pod) const;

  // Declared first: the stores hold references to it.
  std::unique_ptr<internal::ClusterState> state_;
  std::unique_ptr<internal::MemoryResource<api::Pod>> pods_;
  std::unique_ptr<internal::MemoryResource<api::Node>> nodes_;
  std::unique_ptr<internal::MemoryResource<api::NodeClaim>> node_claims_;
  std::unique_ptr<internal::MemoryResource<api::NodePool>> node_pools_;
  std::unique_ptr<internal::MemoryResource<api::EC2NodeClass>> node_classes_;
  std::unique_ptr<internal::MemoryResource<api::PodDisruptionBudget>> budgets_;
  std::unique_ptr<internal::MemoryResource<api::Deployment>> deployments_;
  std::unique_ptr<internal::MemoryResource<api::ReplicaSet>> replica_sets_;
  std::unique_ptr<internal::MemoryResource<api::StatefulSet>> stateful_sets_;
  std::unique_ptr<internal::MemoryResource<api::DaemonSet>> daemon_sets_;
  std::unique_ptr<internal::MemoryResource<api::Namespace>> namespaces_;
  std::unique_ptr<internal::MemoryResource<api::PriorityClass>> priority_classes_;
};

}  // namespace karpenter::kube
