// scheduling.k8s.io/v1 PriorityClass: the priority a pod gets from its priorityClassName.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/json.h"
#include "api/model/object_meta.h"

namespace karpenter::api {

// Whether a pending pod may preempt lower-priority pods (PreemptLowerPriority, the default) or
// never does (Never).
enum class PreemptionPolicy { kPreemptLowerPriority, kNever };

// "PreemptLowerPriority" or "Never".
inline std::string_view ToString(PreemptionPolicy policy) {
  return policy == PreemptionPolicy::kNever ? "Never" : "PreemptLowerPriority";
}

struct PriorityClass {
  ObjectMeta metadata;
  int32_t value = 0;
  bool global_default = false;  // pods without priorityClassName get this class's value
  std::optional<PreemptionPolicy> preemption_policy;  // nullopt: PreemptLowerPriority
  std::string description;
  Json raw;
};

}  // namespace karpenter::api
