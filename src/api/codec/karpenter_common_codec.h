// Pieces shared by the codecs of Karpenter's kinds (NodePool, NodeClaim, EC2NodeClass,
// InstanceType): Go durations, node selector requirements with minValues, taints, status
// conditions, and the NodeClaim template spec that NodePool and NodeClaim have in common.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/model/condition.h"
#include "api/model/node_claim.h"
#include "core/duration.h"
#include "core/requirement.h"
#include "core/taint.h"

namespace karpenter::api::codec {

// A Go duration string ("30s", "1h30m"); a parse failure is an error on the field.
std::optional<std::chrono::nanoseconds> ReadDuration(const FieldReader& reader,
                                                     std::string_view name);
// "Never" or a Go duration string.
std::optional<core::NillableDuration> ReadNillableDuration(const FieldReader& reader,
                                                           std::string_view name);
// An integer that must fit in int32 (the CRD's `format: int32`).
std::optional<int32_t> ReadInt32(const FieldReader& reader, std::string_view name);

// Writes `items` as the list of objects `name` (see FieldWriter::ObjectList).
template <typename T>
void WriteObjects(FieldWriter& writer, std::string_view name, const std::vector<T>& items,
                  const std::function<void(const T&, FieldWriter&)>& fill,
                  bool required = false) {
  writer.ObjectList(
      name, items.size(), [&](std::size_t i, FieldWriter& element) { fill(items[i], element); },
      required);
}

// corev1.NodeSelectorRequirement plus Karpenter's minValues. An unknown operator is an error
// on `operator` (the requirement keeps In).
core::NodeSelectorRequirement ReadRequirement(const FieldReader& reader);
std::vector<core::NodeSelectorRequirement> ReadRequirements(const FieldReader& parent,
                                                            std::string_view name);
void WriteRequirement(const core::NodeSelectorRequirement& value, FieldWriter& writer);
void WriteRequirements(FieldWriter& parent, std::string_view name,
                       const std::vector<core::NodeSelectorRequirement>& value,
                       bool required = false);

// A taint list (ReadTaints of taint_codec.h reads one).
void WriteTaints(FieldWriter& parent, std::string_view name,
                 const std::vector<core::Taint>& value);

// metav1.Condition list.
std::vector<Condition> ReadConditions(const FieldReader& parent, std::string_view name);
void WriteConditions(FieldWriter& parent, std::string_view name,
                     const std::vector<Condition>& value);

// The fields of NodeClaimTemplateSpec, read from / written to the spec object.
void ReadNodeClaimTemplateSpec(const FieldReader& spec, NodeClaimTemplateSpec& out);
void WriteNodeClaimTemplateSpec(const NodeClaimTemplateSpec& value, FieldWriter& spec);

}  // namespace karpenter::api::codec
