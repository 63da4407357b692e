#include "kube/disruption_budget.h"

#include <algorithm>

namespace karpenter::kube {

bool IsPodReady(const api::Pod& pod) {
  return std::any_of(pod.status.conditions.begin(), pod.status.conditions.end(),
                     [](const api::PodCondition& condition) {
                       return condition.type == "Ready" && condition.status == "True";
                     });
}

bool IsPodHealthy(const api::Pod& pod) {
  return !pod.metadata.deletion_timestamp && IsPodReady(pod);
}

bool BudgetSelects(const api::PodDisruptionBudget& budget, const api::Pod& pod) {
  return budget.selector && budget.metadata.namespace_ == pod.metadata.namespace_ &&
         budget.selector->Matches(pod.metadata.labels);
}

ExpectedPodsSource ExpectedPodsSourceOf(const api::PodDisruptionBudget& budget) {
  if (budget.max_unavailable) return ExpectedPodsSource::kControllerScale;
  if (!budget.min_available) return ExpectedPodsSource::kNone;
  return budget.min_available->is_percent ? ExpectedPodsSource::kControllerScale
                                          : ExpectedPodsSource::kSelectedPods;
}

api::PodDisruptionBudgetStatus ComputeBudgetStatus(const api::PodDisruptionBudget& budget,
                                                   int32_t expected_pods, int32_t current_healthy) {
  int64_t desired = 0;
  if (budget.max_unavailable) {
    // maxUnavailable wins when both are set, as in the disruption controller.
    desired =
        std::max<int64_t>(0, expected_pods - budget.max_unavailable->Scaled(expected_pods, true));
  } else if (budget.min_available) {
    desired = budget.min_available->Scaled(expected_pods, true);
  }
  api::PodDisruptionBudgetStatus status;
  status.observed_generation = budget.metadata.generation;
  status.expected_pods = expected_pods;
  status.current_healthy = current_healthy;
  status.desired_healthy = static_cast<int32_t>(desired);
  const int64_t allowed = current_healthy - desired;
  status.disruptions_allowed =
      expected_pods <= 0 || allowed <= 0 ? 0 : static_cast<int32_t>(allowed);
  return status;
}

}  // namespace karpenter::kube
