// Codec of core/v1 Affinity (node affinity, pod affinity, pod anti-affinity). Decoding also
// checks what the API server checks (weights 1-100, non-empty topology keys, at least one
// required node selector term, selector operators), with its messages.
#pragma once

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/model/affinity.h"

namespace karpenter::api::codec {

Affinity ReadAffinity(const FieldReader& reader);
void WriteAffinity(const Affinity& affinity, FieldWriter& writer);

}  // namespace karpenter::api::codec
