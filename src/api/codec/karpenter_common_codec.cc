#include "api/codec/karpenter_common_codec.h"

#include <climits>
#include <string>

#include "api/codec/taint_codec.h"

namespace karpenter::api::codec {

std::optional<std::chrono::nanoseconds> ReadDuration(const FieldReader& reader,
                                                     std::string_view name) {
  std::optional<std::string> text = reader.String(name);
  if (!text) return std::nullopt;
  Result<std::chrono::nanoseconds> duration = core::ParseGoDuration(*text);
  if (!duration) {
    reader.Error(name, duration.error().message);
    return std::nullopt;
  }
  return *duration;
}

std::optional<core::NillableDuration> ReadNillableDuration(const FieldReader& reader,
                                                           std::string_view name) {
  std::optional<std::string> text = reader.String(name);
  if (!text) return std::nullopt;
  Result<core::NillableDuration> duration = core::NillableDuration::Parse(*text);
  if (!duration) {
    reader.Error(name, duration.error().message);
    return std::nullopt;
  }
  return *duration;
}

std::optional<int32_t> ReadInt32(const FieldReader& reader, std::string_view name) {
  std::optional<int64_t> value = reader.Int(name);
  if (!value) return std::nullopt;
  if (*value < INT32_MIN || *value > INT32_MAX) {
    reader.Error(name, "must fit in a 32-bit integer, not " + std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<int32_t>(*value);
}

core::NodeSelectorRequirement ReadRequirement(const FieldReader& reader) {
  core::NodeSelectorRequirement out;
  out.key = reader.String("key").value_or("");
  if (std::optional<std::string> op = reader.String("operator")) {
    if (Result<core::Operator> parsed = core::ParseOperator(*op)) {
      out.op = *parsed;
    } else {
      reader.Error("operator", parsed.error().message);
    }
  }
  out.values = reader.StringList("values");
  if (std::optional<int32_t> min_values = ReadInt32(reader, "minValues")) {
    out.min_values = *min_values;
  }
  return out;
}

std::vector<core::NodeSelectorRequirement> ReadRequirements(const FieldReader& parent,
                                                            std::string_view name) {
  std::vector<core::NodeSelectorRequirement> out;
  parent.Objects(name, [&](const FieldReader& item) { out.push_back(ReadRequirement(item)); });
  return out;
}

void WriteRequirement(const core::NodeSelectorRequirement& value, FieldWriter& writer) {
  writer.String("key", value.key);
  writer.String("operator", std::string(core::ToString(value.op)));
  writer.StringList("values", value.values);
  writer.OptionalInt("minValues", value.min_values);
}

void WriteRequirements(FieldWriter& parent, std::string_view name,
                       const std::vector<core::NodeSelectorRequirement>& value, bool required) {
  WriteObjects<core::NodeSelectorRequirement>(parent, name, value, WriteRequirement, required);
}

void WriteTaints(FieldWriter& parent, std::string_view name,
                 const std::vector<core::Taint>& value) {
  WriteObjects<core::Taint>(parent, name, value, WriteTaint);
}

std::vector<Condition> ReadConditions(const FieldReader& parent, std::string_view name) {
  std::vector<Condition> out;
  parent.Objects(name, [&](const FieldReader& item) {
    Condition condition;
    condition.type = item.String("type").value_or("");
    condition.status = item.String("status").value_or("");
    condition.observed_generation = item.Int("observedGeneration").value_or(0);
    condition.last_transition_time = item.Timestamp("lastTransitionTime");
    condition.reason = item.String("reason").value_or("");
    condition.message = item.String("message").value_or("");
    out.push_back(std::move(condition));
  });
  return out;
}

void WriteConditions(FieldWriter& parent, std::string_view name,
                     const std::vector<Condition>& value) {
  // metav1.Condition writes reason and message even when empty (no omitempty).
  WriteObjects<Condition>(parent, name, value, [](const Condition& condition, FieldWriter& w) {
    w.String("type", condition.type);
    w.String("status", condition.status);
    w.OmitEmptyInt("observedGeneration", condition.observed_generation);
    w.Timestamp("lastTransitionTime", condition.last_transition_time);
    w.String("reason", condition.reason);
    w.String("message", condition.message);
  });
}

void ReadNodeClaimTemplateSpec(const FieldReader& spec, NodeClaimTemplateSpec& out) {
  out.taints = ReadTaints(spec, "taints");
  out.startup_taints = ReadTaints(spec, "startupTaints");
  out.requirements = ReadRequirements(spec, "requirements");
  FieldReader ref = spec.Object("nodeClassRef");
  out.node_class_ref.group = ref.String("group").value_or("");
  out.node_class_ref.kind = ref.String("kind").value_or("");
  out.node_class_ref.name = ref.String("name").value_or("");
  out.termination_grace_period = ReadDuration(spec, "terminationGracePeriod");
  out.expire_after = ReadNillableDuration(spec, "expireAfter");
}

void WriteNodeClaimTemplateSpec(const NodeClaimTemplateSpec& value, FieldWriter& spec) {
  // nodeClassRef and requirements are required by the CRD, so they are always written.
  spec.Object(
      "nodeClassRef",
      [&](FieldWriter& ref) {
        ref.String("group", value.node_class_ref.group);
        ref.String("kind", value.node_class_ref.kind);
        ref.String("name", value.node_class_ref.name);
      },
      /*required=*/true);
  WriteTaints(spec, "taints", value.taints);
  WriteTaints(spec, "startupTaints", value.startup_taints);
  WriteRequirements(spec, "requirements", value.requirements, /*required=*/true);
  spec.NillableDuration("expireAfter", value.expire_after);
  spec.Duration("terminationGracePeriod", value.termination_grace_period);
}

}  // namespace karpenter::api::codec
