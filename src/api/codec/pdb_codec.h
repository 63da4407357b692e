// Codec of policy/v1 PodDisruptionBudget. Decoding also checks what the API server checks: not
// both minAvailable and maxUnavailable, each a non-negative count or a percentage of at most
// 100%, a valid selector and unhealthyPodEvictionPolicy.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/pod_disruption_budget.h"

namespace karpenter::api::codec {

PodDisruptionBudget DecodePodDisruptionBudget(const Json& object, FieldErrors& errors,
                                              const std::string& pointer = "");
// Encodes over `value.raw`, preserving unknown fields and key order.
Json EncodePodDisruptionBudget(const PodDisruptionBudget& value);

}  // namespace karpenter::api::codec
