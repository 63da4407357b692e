// Codec of core/v1 Node.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/node.h"

namespace karpenter::api::codec {

// Decodes `object` (located at `pointer`, usually ""); type problems and invalid taints (empty
// key, missing or unknown effect, duplicate key and effect) go to `errors`. Always returns a
// value (fields that failed are left default).
Node DecodeNode(const Json& object, FieldErrors& errors, const std::string& pointer = "");
// Encodes `value` over `value.raw`: known fields are written, unknown fields (addresses,
// images, ...) and key order of raw are preserved.
Json EncodeNode(const Node& value);

}  // namespace karpenter::api::codec
