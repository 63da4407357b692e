// The PodDisruptionBudget arithmetic of Kubernetes' disruption controller, which the eviction
// subresource relies on: which pods a budget guards, which of them are healthy, and the status
// (desiredHealthy, disruptionsAllowed, ...) the controller derives from those counts.
#pragma once

#include <cstdint>

#include "api/model/pod.h"
#include "api/model/pod_disruption_budget.h"

namespace karpenter::kube {

// The pod's Ready condition is True (upstream IsPodReady: the phase is not looked at).
bool IsPodReady(const api::Pod& pod);

// Counted in currentHealthy: ready and not being deleted.
bool IsPodHealthy(const api::Pod& pod);

// The budget guards the pod: same namespace, and the selector matches its labels. In policy/v1
// an empty selector matches every pod of the namespace and a missing one matches none.
bool BudgetSelects(const api::PodDisruptionBudget& budget, const api::Pod& pod);

// Where a budget's expectedPods comes from, as upstream: the scale of the selected pods'
// controllers for maxUnavailable and percentage minAvailable, the number of selected pods for
// an integer minAvailable, and nothing (0) when the budget sets neither.
enum class ExpectedPodsSource { kControllerScale, kSelectedPods, kNone };
ExpectedPodsSource ExpectedPodsSourceOf(const api::PodDisruptionBudget& budget);

// The status the disruption controller writes for these counts: desiredHealthy is
// minAvailable, or expectedPods - maxUnavailable (never below 0), percentages of expectedPods
// rounding up in both cases; disruptionsAllowed is currentHealthy - desiredHealthy, and 0 when
// that is negative or when no pods are expected. observedGeneration is the budget's generation.
api::PodDisruptionBudgetStatus ComputeBudgetStatus(const api::PodDisruptionBudget& budget,
                                                   int32_t expected_pods, int32_t current_healthy);

}  // namespace karpenter::kube
