// Codec of core/v1 TopologySpreadConstraint. Decoding also checks what the API server checks
// (maxSkew >= 1, a topology key, whenUnsatisfiable and node inclusion policies from their enums,
// minDomains >= 1 and only with DoNotSchedule, no two constraints with the same topology key and
// whenUnsatisfiable), with its messages.
#pragma once

#include <string_view>
#include <vector>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/model/pod.h"

namespace karpenter::api::codec {

// Reads the constraint list at `name` of the pod spec `spec`.
std::vector<TopologySpreadConstraint> ReadTopologySpreadConstraints(const FieldReader& spec,
                                                                    std::string_view name);
void WriteTopologySpreadConstraint(const TopologySpreadConstraint& constraint,
                                   FieldWriter& writer);

}  // namespace karpenter::api::codec
