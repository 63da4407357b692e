// karpenter.sh/v1 NodePool codec.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/node_pool.h"

namespace karpenter::api::codec {

// Decodes `object` (located at `pointer`, usually ""); type problems go to `errors`, with
// JSON pointers. Always returns a value (fields that failed are left default). Meant for
// objects the CRD schema has already defaulted, but any input is safe.
NodePool DecodeNodePool(const Json& object, FieldErrors& errors, const std::string& pointer = "");

// Encodes `value` over `value.raw`: known fields are written, unknown fields and key order of
// raw are preserved, and an unchanged object gives back raw exactly. Absent optional fields
// are omitted; spec.template.spec.nodeClassRef and requirements are always written.
Json EncodeNodePool(const NodePool& value);

}  // namespace karpenter::api::codec
