#include "api/codec/selector_codec.h"

#include "api/codec/internal/kube_codec_util.h"

namespace karpenter::api::codec {
namespace {

using internal::Forbidden;
using internal::InvalidString;
using internal::Required;

constexpr std::string_view kInOrNotInNeedsValues =
    "must be specified when `operator` is 'In' or 'NotIn'";
constexpr std::string_view kExistsTakesNoValues =
    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
constexpr std::string_view kNotAnOperator = "not a valid selector operator";

std::string ReadKey(const FieldReader& reader) {
  std::string key = reader.String("key").value_or("");
  if (key.empty()) reader.Error("key", InvalidString(key, internal::kEmptyNamePart));
  return key;
}

core::LabelSelectorRequirement ReadLabelSelectorRequirement(const FieldReader& reader) {
  core::LabelSelectorRequirement requirement;
  requirement.key = ReadKey(reader);
  requirement.values = reader.StringList("values");
  std::string op = reader.String("operator").value_or("");
  Result<core::LabelSelectorOperator> parsed = core::ParseLabelSelectorOperator(op);
  if (!parsed) {
    reader.Error("operator", InvalidString(op, kNotAnOperator));
    return requirement;
  }
  requirement.op = *parsed;
  const bool set_based = *parsed == core::LabelSelectorOperator::In ||
                         *parsed == core::LabelSelectorOperator::NotIn;
  if (set_based && requirement.values.empty()) {
    reader.Error("values", Required(kInOrNotInNeedsValues));
  } else if (!set_based && !requirement.values.empty()) {
    reader.Error("values", Forbidden(kExistsTakesNoValues));
  }
  return requirement;
}

// One requirement of a node selector term's matchExpressions.
core::NodeSelectorRequirement ReadNodeSelectorRequirement(const FieldReader& reader) {
  core::NodeSelectorRequirement requirement;
  requirement.key = ReadKey(reader);
  requirement.values = reader.StringList("values");
  std::string op = reader.String("operator").value_or("");
  Result<core::Operator> parsed = core::ParseOperator(op);
  // Gte and Lte exist only in Karpenter's NodePool requirements.
  if (!parsed || *parsed == core::Operator::Gte || *parsed == core::Operator::Lte) {
    reader.Error("operator", InvalidString(op, kNotAnOperator));
    return requirement;
  }
  requirement.op = *parsed;
  switch (*parsed) {
    case core::Operator::In:
    case core::Operator::NotIn:
      if (requirement.values.empty()) reader.Error("values", Required(kInOrNotInNeedsValues));
      break;
    case core::Operator::Exists:
    case core::Operator::DoesNotExist:
      if (!requirement.values.empty()) reader.Error("values", Forbidden(kExistsTakesNoValues));
      break;
    default:  // Gt, Lt
      if (requirement.values.size() != 1) {
        reader.Error("values",
                     Required("must be specified single value when `operator` is 'Lt' or 'Gt'"));
      }
  }
  return requirement;
}

// One requirement of a node selector term's matchFields: only the node's name can be matched.
core::NodeSelectorRequirement ReadNodeFieldRequirement(const FieldReader& reader) {
  core::NodeSelectorRequirement requirement;
  requirement.key = reader.String("key").value_or("");
  requirement.values = reader.StringList("values");
  std::string op = reader.String("operator").value_or("");
  Result<core::Operator> parsed = core::ParseOperator(op);
  if (parsed && (*parsed == core::Operator::In || *parsed == core::Operator::NotIn)) {
    requirement.op = *parsed;
    if (requirement.values.size() != 1) {
      reader.Error("values", Required("must be only one value when `operator` is 'In' or "
                                      "'NotIn' for node field selector"));
    }
  } else {
    reader.Error("operator", InvalidString(op, kNotAnOperator));
  }
  if (requirement.key != "metadata.name") {
    reader.Error("key", InvalidString(requirement.key, "not a valid field selector key"));
  }
  return requirement;
}

void WriteNodeSelectorRequirement(const core::NodeSelectorRequirement& requirement,
                                  FieldWriter& writer) {
  writer.String("key", requirement.key);
  writer.String("operator", std::string(core::ToString(requirement.op)));
  writer.StringList("values", requirement.values);
}

void WriteRequirements(std::string_view name,
                       const std::vector<core::NodeSelectorRequirement>& requirements,
                       FieldWriter& writer) {
  writer.ObjectList(name, requirements.size(), [&](std::size_t i, FieldWriter& item) {
    WriteNodeSelectorRequirement(requirements[i], item);
  });
}

}  // namespace

core::LabelSelector ReadLabelSelector(const FieldReader& reader) {
  core::LabelSelector selector;
  selector.match_labels = reader.StringMap("matchLabels");
  reader.Objects("matchExpressions", [&](const FieldReader& item) {
    selector.match_expressions.push_back(ReadLabelSelectorRequirement(item));
  });
  return selector;
}

std::optional<core::LabelSelector> ReadOptionalLabelSelector(const FieldReader& parent,
                                                             std::string_view name) {
  if (!parent.Has(name)) return std::nullopt;
  return ReadLabelSelector(parent.Object(name));
}

void WriteLabelSelector(const core::LabelSelector& selector, FieldWriter& writer) {
  writer.StringMap("matchLabels", selector.match_labels);
  writer.ObjectList("matchExpressions", selector.match_expressions.size(),
                    [&](std::size_t i, FieldWriter& item) {
                      const core::LabelSelectorRequirement& requirement =
                          selector.match_expressions[i];
                      item.String("key", requirement.key);
                      item.String("operator", std::string(core::ToString(requirement.op)));
                      item.StringList("values", requirement.values);
                    });
}

void WriteOptionalLabelSelector(const std::optional<core::LabelSelector>& selector,
                                std::string_view name, FieldWriter& parent) {
  if (!selector) {
    parent.Erase(name);
    return;
  }
  parent.Object(name, [&](FieldWriter& writer) { WriteLabelSelector(*selector, writer); },
                /*required=*/true);
}

NodeSelectorTerm ReadNodeSelectorTerm(const FieldReader& reader) {
  NodeSelectorTerm term;
  reader.Objects("matchExpressions", [&](const FieldReader& item) {
    term.match_expressions.push_back(ReadNodeSelectorRequirement(item));
  });
  reader.Objects("matchFields", [&](const FieldReader& item) {
    term.match_fields.push_back(ReadNodeFieldRequirement(item));
  });
  return term;
}

void WriteNodeSelectorTerm(const NodeSelectorTerm& term, FieldWriter& writer) {
  WriteRequirements("matchExpressions", term.match_expressions, writer);
  WriteRequirements("matchFields", term.match_fields, writer);
}

}  // namespace karpenter::api::codec
