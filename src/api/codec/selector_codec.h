// Codecs of the selectors Kubernetes objects carry: metav1.LabelSelector (workloads, PDBs,
// topology spread, pod affinity) and core/v1 node selector terms (node affinity). Decoding
// also checks what the API server checks about operators and values, with its messages.
#pragma once

#include <optional>
#include <string_view>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/model/affinity.h"
#include "core/label_selector.h"
#include "core/requirement.h"

namespace karpenter::api::codec {

// Reads a label selector. Errors: an unknown operator (`not a valid selector operator`), In or
// NotIn without values, Exists or DoesNotExist with values, an empty key.
core::LabelSelector ReadLabelSelector(const FieldReader& reader);
// The selector at `name` of `parent`, or nullopt when absent (which, unlike an empty selector,
// selects nothing).
std::optional<core::LabelSelector> ReadOptionalLabelSelector(const FieldReader& parent,
                                                             std::string_view name);
void WriteLabelSelector(const core::LabelSelector& selector, FieldWriter& writer);
// Writes `selector` at `name` (an empty selector as {}), or removes the field for nullopt.
void WriteOptionalLabelSelector(const std::optional<core::LabelSelector>& selector,
                                std::string_view name, FieldWriter& parent);

// Reads a node selector term of a pod's node affinity. matchExpressions take the six
// Kubernetes operators (Karpenter's Gte/Lte are not valid in pods); matchFields only
// `metadata.name` with In or NotIn and exactly one value.
NodeSelectorTerm ReadNodeSelectorTerm(const FieldReader& reader);
void WriteNodeSelectorTerm(const NodeSelectorTerm& term, FieldWriter& writer);

}  // namespace karpenter::api::codec
