// sim.karpenter-cpp.io/v1alpha1 InstanceType codec. Validation (api::ValidateInstanceType)
// is declared in api/karpenter_semantic_validation.h.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/instance_type.h"

namespace karpenter::api::codec {

// Decodes `object` (located at `pointer`, usually ""); type problems go to `errors`, with
// JSON pointers. Always returns a value (fields that failed are left default; an offering
// without `available` is available).
InstanceType DecodeInstanceType(const Json& object, FieldErrors& errors,
                                const std::string& pointer = "");

// Encodes `value` over `value.raw`: known fields are written, unknown fields and key order of
// raw are preserved; an unchanged object gives back raw exactly. `available` is written only
// when false (or when raw had it).
Json EncodeInstanceType(const InstanceType& value);

}  // namespace karpenter::api::codec
