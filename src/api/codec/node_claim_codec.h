// karpenter.sh/v1 NodeClaim codec.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/node_claim.h"

namespace karpenter::api::codec {

// Decodes `object` (located at `pointer`, usually ""); type problems go to `errors`, with
// JSON pointers. Always returns a value (fields that failed are left default).
NodeClaim DecodeNodeClaim(const Json& object, FieldErrors& errors,
                          const std::string& pointer = "");

// Encodes `value` over `value.raw`: known fields are written, unknown fields and key order of
// raw are preserved, and an unchanged object gives back raw exactly. Absent optional fields
// are omitted; spec.nodeClassRef and spec.requirements are always written.
Json EncodeNodeClaim(const NodeClaim& value);

}  // namespace karpenter::api::codec
