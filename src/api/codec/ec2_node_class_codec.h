// karpenter.k8s.aws/v1 EC2NodeClass codec.
#pragma once

#include <string>
#include <string_view>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/ec2_node_class.h"
#include "core/result.h"

namespace karpenter::api::codec {

// Decodes `object` (located at `pointer`, usually ""); type problems go to `errors`, with
// JSON pointers. Always returns a value (fields that failed are left default).
EC2NodeClass DecodeEC2NodeClass(const Json& object, FieldErrors& errors,
                                const std::string& pointer = "");

// Encodes `value` over `value.raw`: known fields are written, unknown fields (and the CRD
// fields the model leaves out) and key order of raw are preserved; an unchanged object gives
// back raw exactly. Absent optional fields are omitted.
Json EncodeEC2NodeClass(const EC2NodeClass& value);

// Parses a kubelet eviction threshold: a percentage ("10%", "7.5%": digits with an optional
// fraction, then '%') or a Kubernetes quantity ("100Mi"). "" parses to a value with neither
// set (the CRD admits it). Anything else is an error.
Result<EvictionThreshold> ParseEvictionThreshold(std::string_view text);

}  // namespace karpenter::api::codec
