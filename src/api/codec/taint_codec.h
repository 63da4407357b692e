// Codecs of core/v1 Taint (Node spec) and Toleration (Pod spec). Decoding also checks what
// the API server checks, with its messages.
#pragma once

#include <string_view>
#include <vector>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "core/taint.h"

namespace karpenter::api::codec {

// Reads the taint list at `name` of `parent`. Errors: an empty key, a missing or unknown
// effect, two taints with the same key and effect. `timeAdded` is left to the raw Json.
std::vector<core::Taint> ReadTaints(const FieldReader& parent, std::string_view name);
void WriteTaint(const core::Taint& taint, FieldWriter& writer);

// Reads a toleration. Errors: an operator other than Equal or Exists, Exists with a value, an
// empty key without Exists, an unknown effect, tolerationSeconds with an effect other than
// NoExecute. An absent operator is Equal.
core::Toleration ReadToleration(const FieldReader& reader);
void WriteToleration(const core::Toleration& toleration, FieldWriter& writer);

}  // namespace karpenter::api::codec
