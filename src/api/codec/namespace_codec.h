// Codec of core/v1 Namespace.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/namespace.h"

namespace karpenter::api::codec {

// Decodes `object` (located at `pointer`, usually ""); type problems go to `errors`.
Namespace DecodeNamespace(const Json& object, FieldErrors& errors,
                          const std::string& pointer = "");
// Encodes `value` over `value.raw`, preserving unknown fields (spec, status) and key order.
Json EncodeNamespace(const Namespace& value);

}  // namespace karpenter::api::codec
