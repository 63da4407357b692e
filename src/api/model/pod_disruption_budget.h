// policy/v1 PodDisruptionBudget: how many of the selected pods may be disrupted at once.
// Karpenter will not drain a node when evicting its pods would break a budget.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "api/json.h"
#include "api/model/int_or_percent.h"
#include "api/model/object_meta.h"
#include "core/label_selector.h"

namespace karpenter::api {

// Whether running-but-unready pods may be evicted regardless of the budget (AlwaysAllow) or
// only while the budget holds (IfHealthyBudget, the default).
enum class UnhealthyPodEvictionPolicy { kIfHealthyBudget, kAlwaysAllow };

inline std::string_view ToString(UnhealthyPodEvictionPolicy policy) {
  return policy == UnhealthyPodEvictionPolicy::kAlwaysAllow ? "AlwaysAllow" : "IfHealthyBudget";
}

struct PodDisruptionBudgetStatus {
  int64_t observed_generation = 0;
  int32_t disruptions_allowed = 0;
  int32_t current_healthy = 0;
  int32_t desired_healthy = 0;
  int32_t expected_pods = 0;

  friend bool operator==(const PodDisruptionBudgetStatus&,
                         const PodDisruptionBudgetStatus&) = default;
};

struct PodDisruptionBudget {
  ObjectMeta metadata;
  // In policy/v1 a missing selector selects no pods and an empty one selects every pod of the
  // namespace.
  std::optional<core::LabelSelector> selector;
  // At most one of the two is set.
  std::optional<IntOrPercent> min_available;
  std::optional<IntOrPercent> max_unavailable;
  std::optional<UnhealthyPodEvictionPolicy> unhealthy_pod_eviction_policy;
  std::optional<PodDisruptionBudgetStatus> status;  // nullopt when the object has no status
  Json raw;
};

}  // namespace karpenter::api
