// Codec of scheduling.k8s.io/v1 PriorityClass. Decoding also checks what the API server checks:
// a user-defined class (name not starting with "system-") may not exceed 1000000000, and
// preemptionPolicy is PreemptLowerPriority or Never.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/priority_class.h"

namespace karpenter::api::codec {

PriorityClass DecodePriorityClass(const Json& object, FieldErrors& errors,
                                  const std::string& pointer = "");
// Encodes over `value.raw`, preserving unknown fields and key order.
Json EncodePriorityClass(const PriorityClass& value);

}  // namespace karpenter::api::codec
