// MemoryCluster's PodDisruptionBudget accounting: the status the disruption controller would
// compute, counted from the store, and the check the eviction subresource makes with it.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "kube/disruption_budget.h"
#include "kube/internal/cluster_state.h"
#include "kube/internal/memory_resource.h"
#include "kube/memory_cluster.h"

namespace karpenter::kube {
namespace {

const api::OwnerReference* ControllerOf(const api::ObjectMeta& meta) {
  auto it = std::find_if(meta.owner_references.begin(), meta.owner_references.end(),
                         [](const api::OwnerReference& owner) { return owner.controller; });
  return it == meta.owner_references.end() ? nullptr : &*it;
}

}  // namespace

std::optional<MemoryCluster::ControllerScale> MemoryCluster::ScaleOfController(
    const api::Pod& pod) const {
  const api::OwnerReference* controller = ControllerOf(pod.metadata);
  if (controller == nullptr) return std::nullopt;
  const internal::ObjectRef* ref = state_->FindUid(controller->uid);
  if (ref == nullptr || ref->key.namespace_ != pod.metadata.namespace_) return std::nullopt;
  if (ref->resource == replica_sets_.get()) {
    ObjectPtr<api::ReplicaSet> replica_set = replica_sets_->Find(ref->key);
    // A ReplicaSet a Deployment runs counts the Deployment's replicas, as upstream's finders.
    if (const api::OwnerReference* owner = ControllerOf(replica_set->metadata)) {
      const internal::ObjectRef* deployment_ref = state_->FindUid(owner->uid);
      if (deployment_ref != nullptr && deployment_ref->resource == deployments_.get() &&
          deployment_ref->key.namespace_ == pod.metadata.namespace_) {
        ObjectPtr<api::Deployment> deployment = deployments_->Find(deployment_ref->key);
        return ControllerScale{deployment->metadata.uid, deployment->replicas};
      }
    }
    return ControllerScale{replica_set->metadata.uid, replica_set->replicas};
  }
  if (ref->resource == deployments_.get()) {
    ObjectPtr<api::Deployment> deployment = deployments_->Find(ref->key);
    return ControllerScale{deployment->metadata.uid, deployment->replicas};
  }
  if (ref->resource == stateful_sets_.get()) {
    ObjectPtr<api::StatefulSet> stateful_set = stateful_sets_->Find(ref->key);
    return ControllerScale{stateful_set->metadata.uid, stateful_set->replicas};
  }
  return std::nullopt;
}

int32_t MemoryCluster::ExpectedScale(const std::vector<ObjectPtr<api::Pod>>& pods) const {
  std::map<std::string, int32_t> scales;  // each controller counted once
  int32_t uncontrolled = 0;
  for (const ObjectPtr<api::Pod>& pod : pods) {
    if (std::optional<ControllerScale> scale = ScaleOfController(*pod)) {
      scales.emplace(scale->uid, scale->replicas);
    } else {
      ++uncontrolled;
    }
  }
  int32_t expected = uncontrolled;
  for (const auto& [uid, replicas] : scales) expected += replicas;
  return expected;
}

api::PodDisruptionBudgetStatus MemoryCluster::BudgetStatus(
    const api::PodDisruptionBudget& budget) const {
  std::vector<ObjectPtr<api::Pod>> selected;
  int32_t healthy = 0;
  if (budget.selector) {
    pods_->ForEachInNamespace(budget.metadata.namespace_, [&](const ObjectPtr<api::Pod>& pod) {
      if (!BudgetSelects(budget, *pod)) return;
      selected.push_back(pod);
      if (IsPodHealthy(*pod)) ++healthy;
    });
  }
  int32_t expected = 0;
  switch (ExpectedPodsSourceOf(budget)) {
    case ExpectedPodsSource::kControllerScale:
      expected = ExpectedScale(selected);
      break;
    case ExpectedPodsSource::kSelectedPods:
      expected = static_cast<int32_t>(selected.size());
      break;
    case ExpectedPodsSource::kNone:
      break;
  }
  return ComputeBudgetStatus(budget, expected, healthy);
}

std::optional<ApiError> MemoryCluster::CheckBudget(const api::PodDisruptionBudget& budget,
                                                   const api::Pod& pod) const {
  const api::PodDisruptionBudgetStatus status = BudgetStatus(budget);
  if (!IsPodReady(pod)) {
    // An unready pod adds nothing to currentHealthy, so removing it costs no disruption when
    // the policy says so, or (the default) while the application is not disrupted.
    const auto policy = budget.unhealthy_pod_eviction_policy.value_or(
        api::UnhealthyPodEvictionPolicy::kIfHealthyBudget);
    if (policy == api::UnhealthyPodEvictionPolicy::kAlwaysAllow) return std::nullopt;
    if (status.current_healthy >= status.desired_healthy && status.desired_healthy > 0) {
      return std::nullopt;
    }
  }
  if (status.disruptions_allowed > 0) return std::nullopt;
  return ApiError{ApiErrorCode::kTooManyRequests,
                  fmt::format("Cannot evict pod as it would violate the pod's disruption budget "
                              "{}/{} (needs {} healthy, has {})",
                              budget.metadata.namespace_, budget.metadata.name,
                              status.desired_healthy, status.current_healthy)};
}

}  // namespace karpenter::kube
