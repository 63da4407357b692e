#include "kube/memory_cluster.h"

#include <algorithm>

#include "kube/disruption_budget.h"
#include "kube/internal/cluster_state.h"
#include "kube/internal/memory_resource.h"
#include "kube/internal/meta_rules.h"
#include "kube/priority_admission.h"

namespace karpenter::kube {
namespace {

template <class T>
std::unique_ptr<internal::MemoryResource<T>> MakeResource(internal::ClusterState& state,
                                                          int& order) {
  return std::make_unique<internal::MemoryResource<T>>(state, order++);
}

// Sets (or adds) the condition `type` to True; the transition time moves only on a change.
void SetConditionTrue(std::vector<api::PodCondition>& conditions, const std::string& type,
                      const std::string& reason, const std::string& message, int64_t now) {
  auto it =
      std::find_if(conditions.begin(), conditions.end(),
                   [&](const api::PodCondition& condition) { return condition.type == type; });
  if (it == conditions.end()) {
    conditions.push_back(api::PodCondition{type, "True", reason, message, now});
    return;
  }
  if (it->status != "True") it->last_transition_time = now;
  it->status = "True";
  it->reason = reason;
  it->message = message;
}

}  // namespace

MemoryCluster::MemoryCluster(const core::Clock& clock)
    : state_(std::make_unique<internal::ClusterState>(clock)) {
  int order = 0;
  pods_ = MakeResource<api::Pod>(*state_, order);
  nodes_ = MakeResource<api::Node>(*state_, order);
  node_claims_ = MakeResource<api::NodeClaim>(*state_, order);
  node_pools_ = MakeResource<api::NodePool>(*state_, order);
  node_classes_ = MakeResource<api::EC2NodeClass>(*state_, order);
  budgets_ = MakeResource<api::PodDisruptionBudget>(*state_, order);
  deployments_ = MakeResource<api::Deployment>(*state_, order);
  replica_sets_ = MakeResource<api::ReplicaSet>(*state_, order);
  stateful_sets_ = MakeResource<api::StatefulSet>(*state_, order);
  daemon_sets_ = MakeResource<api::DaemonSet>(*state_, order);
  namespaces_ = MakeResource<api::Namespace>(*state_, order);
  priority_classes_ = MakeResource<api::PriorityClass>(*state_, order);
  // As the API server's Priority admission plugin: a pod's priority comes from its class.
  pods_->SetAdmission([this](api::Pod& pod) {
    return AdmitPodPriority(pod, priority_classes_->List(ListOptions{}));
  });
}

MemoryCluster::~MemoryCluster() = default;

Resource<api::Pod>& MemoryCluster::Pods() { return *pods_; }
Resource<api::Node>& MemoryCluster::Nodes() { return *nodes_; }
Resource<api::NodeClaim>& MemoryCluster::NodeClaims() { return *node_claims_; }
Resource<api::NodePool>& MemoryCluster::NodePools() { return *node_pools_; }
Resource<api::EC2NodeClass>& MemoryCluster::NodeClasses() { return *node_classes_; }
Resource<api::PodDisruptionBudget>& MemoryCluster::PodDisruptionBudgets() { return *budgets_; }
Resource<api::Deployment>& MemoryCluster::Deployments() { return *deployments_; }
Resource<api::ReplicaSet>& MemoryCluster::ReplicaSets() { return *replica_sets_; }
Resource<api::StatefulSet>& MemoryCluster::StatefulSets() { return *stateful_sets_; }
Resource<api::DaemonSet>& MemoryCluster::DaemonSets() { return *daemon_sets_; }
Resource<api::Namespace>& MemoryCluster::Namespaces() { return *namespaces_; }
Resource<api::PriorityClass>& MemoryCluster::PriorityClasses() { return *priority_classes_; }

size_t MemoryCluster::Deliver(size_t limit) { return state_->Deliver(limit); }

size_t MemoryCluster::PendingEvents() const { return state_->PendingEvents(); }

int64_t MemoryCluster::LastResourceVersion() const { return state_->LastResourceVersion(); }

ApiResult<ObjectPtr<api::Pod>> MemoryCluster::Bind(const ObjectKey& key, const std::string& node) {
  ObjectPtr<api::Pod> pod = pods_->Find(key);
  if (!pod) return std::unexpected(internal::NotFoundError("Pod", key));
  const std::string prefix = "Operation cannot be fulfilled on pods/binding \"" + key.name + "\": ";
  if (node.empty()) {
    return ApiFail(ApiErrorCode::kInvalid,
                   internal::Describe("Pod", key) + ": target.name: Required value");
  }
  if (pod->metadata.deletion_timestamp) {
    return ApiFail(ApiErrorCode::kConflict,
                   prefix + "pod " + key.name + " is being deleted, cannot be assigned to a host");
  }
  if (!pod->spec.node_name.empty()) {
    return ApiFail(ApiErrorCode::kConflict, prefix + "pod " + key.name +
                                                " is already assigned to node \"" +
                                                pod->spec.node_name + "\"");
  }
  const int64_t now = state_->NowSeconds();
  return pods_->Patch(key, [&](api::Pod& bound) {
    bound.spec.node_name = node;
    SetConditionTrue(bound.status.conditions, "PodScheduled", "", "", now);
  });
}

ApiResult<void> MemoryCluster::Evict(const ObjectKey& key) {
  ObjectPtr<api::Pod> pod = pods_->Find(key);
  if (!pod) return std::unexpected(internal::NotFoundError("Pod", key));
  const std::string& phase = pod->status.phase;
  // As upstream: a pod that is not running (or already going) has no disruption left to
  // budget, so it is deleted without looking at budgets.
  const bool budgets_apply = phase != "Pending" && phase != "Succeeded" && phase != "Failed" &&
                             !pod->metadata.deletion_timestamp;
  if (budgets_apply) {
    std::vector<ObjectPtr<api::PodDisruptionBudget>> budgets;
    budgets_->ForEachInNamespace(key.namespace_,
                                 [&](const ObjectPtr<api::PodDisruptionBudget>& budget) {
                                   if (BudgetSelects(*budget, *pod)) budgets.push_back(budget);
                                 });
    if (budgets.size() > 1) {
      return ApiFail(ApiErrorCode::kInvalid,
                     "This pod has more than one PodDisruptionBudget, which the eviction "
                     "subresource does not support.");
    }
    if (budgets.size() == 1) {
      if (auto error = CheckBudget(*budgets.front(), *pod)) return std::unexpected(*error);
    }
  }
  const int64_t now = state_->NowSeconds();
  auto marked = pods_->Patch(key, [&](api::Pod& evicted) {
    SetConditionTrue(evicted.status.conditions, "DisruptionTarget", "EvictionByEvictionAPI",
                     "Eviction API: evicting", now);
  });
  if (!marked) return std::unexpected(marked.error());
  return pods_->Delete(key, DeleteOptions{});
}

}  // namespace karpenter::kube
