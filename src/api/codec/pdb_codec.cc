#include "api/codec/pdb_codec.h"

#include <optional>
#include <string_view>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/object_meta_codec.h"
#include "api/codec/selector_codec.h"

namespace karpenter::api::codec {
namespace {

const Json* Member(const Json* object, std::string_view name) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(name);
  return it == object->end() || it->is_null() ? nullptr : &*it;
}

// An int-or-string count: an integer is a count, a string must be a percentage. `value` is the
// field's Json (the reader only knows its text, which cannot tell 3 from "3").
std::optional<IntOrPercent> ReadIntOrPercent(const FieldReader& spec, std::string_view name,
                                             const Json* value) {
  std::optional<std::string> text = spec.IntOrString(name);  // reports wrong types
  if (!text || value == nullptr) return std::nullopt;
  std::optional<IntOrPercent> result;
  if (value->is_string()) {
    Result<IntOrPercent> parsed = IntOrPercent::ParsePercent(*text);
    if (!parsed) {
      spec.Error(name, internal::InvalidString(*text, parsed.error().message));
      return std::nullopt;
    }
    result = *parsed;
    if (result->value > 100) {
      spec.Error(name, internal::InvalidString(*text, "must not be greater than 100%"));
    }
    return result;
  }
  std::optional<int32_t> count = internal::ReadInt32(spec, name);
  if (!count) return std::nullopt;
  if (*count < 0) spec.Error(name, internal::InvalidInt(*count, "must be greater than or equal to 0"));
  return IntOrPercent::Count(*count);
}

Json IntOrPercentJson(const IntOrPercent& value) {
  return value.is_percent ? Json(value.ToString()) : Json(value.value);
}

void WriteIntOrPercent(FieldWriter& writer, std::string_view name,
                       const std::optional<IntOrPercent>& value) {
  if (!value) {
    writer.Erase(name);
    return;
  }
  writer.Set(name, IntOrPercentJson(*value));  // Set leaves an equal value untouched
}

std::optional<UnhealthyPodEvictionPolicy> ReadEvictionPolicy(const FieldReader& spec) {
  std::optional<std::string> text = spec.String("unhealthyPodEvictionPolicy");
  if (!text) return std::nullopt;
  std::optional<std::size_t> index = internal::ReadEnum(spec, "unhealthyPodEvictionPolicy", *text,
                                                        {"AlwaysAllow", "IfHealthyBudget"});
  if (!index) return std::nullopt;
  return *index == 0 ? UnhealthyPodEvictionPolicy::kAlwaysAllow
                     : UnhealthyPodEvictionPolicy::kIfHealthyBudget;
}

PodDisruptionBudgetStatus ReadStatus(const FieldReader& reader) {
  PodDisruptionBudgetStatus status;
  status.observed_generation = reader.Int("observedGeneration").value_or(0);
  status.disruptions_allowed = internal::ReadInt32(reader, "disruptionsAllowed").value_or(0);
  status.current_healthy = internal::ReadInt32(reader, "currentHealthy").value_or(0);
  status.desired_healthy = internal::ReadInt32(reader, "desiredHealthy").value_or(0);
  status.expected_pods = internal::ReadInt32(reader, "expectedPods").value_or(0);
  return status;
}

void WriteStatus(const PodDisruptionBudgetStatus& status, FieldWriter& writer) {
  writer.OmitEmptyInt("observedGeneration", status.observed_generation);
  internal::WriteIntWithDefault(writer, "disruptionsAllowed", status.disruptions_allowed, 0);
  internal::WriteIntWithDefault(writer, "currentHealthy", status.current_healthy, 0);
  internal::WriteIntWithDefault(writer, "desiredHealthy", status.desired_healthy, 0);
  internal::WriteIntWithDefault(writer, "expectedPods", status.expected_pods, 0);
}

}  // namespace

PodDisruptionBudget DecodePodDisruptionBudget(const Json& object, FieldErrors& errors,
                                              const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  PodDisruptionBudget pdb;
  pdb.metadata = ReadObjectMeta(root.Object("metadata"));
  const FieldReader spec = root.Object("spec");
  const Json* spec_json = Member(&object, "spec");
  pdb.selector = ReadOptionalLabelSelector(spec, "selector");
  const Json* min_available = Member(spec_json, "minAvailable");
  const Json* max_unavailable = Member(spec_json, "maxUnavailable");
  pdb.min_available = ReadIntOrPercent(spec, "minAvailable", min_available);
  pdb.max_unavailable = ReadIntOrPercent(spec, "maxUnavailable", max_unavailable);
  if (min_available != nullptr && max_unavailable != nullptr) {
    Json both = {{"minAvailable", *min_available}, {"maxUnavailable", *max_unavailable}};
    spec.Error("", "Invalid value: " + both.dump() +
                       ": minAvailable and maxUnavailable cannot be both set");
  }
  pdb.unhealthy_pod_eviction_policy = ReadEvictionPolicy(spec);
  if (root.Has("status")) pdb.status = ReadStatus(root.Object("status"));
  pdb.raw = object;
  return pdb;
}

Json EncodePodDisruptionBudget(const PodDisruptionBudget& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "policy/v1");
  writer.String("kind", "PodDisruptionBudget");
  writer.Object("metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
                /*required=*/true);
  writer.Object("spec", [&](FieldWriter& spec) {
    WriteIntOrPercent(spec, "minAvailable", value.min_available);
    WriteOptionalLabelSelector(value.selector, "selector", spec);
    WriteIntOrPercent(spec, "maxUnavailable", value.max_unavailable);
    const auto& policy = value.unhealthy_pod_eviction_policy;
    spec.OptionalString("unhealthyPodEvictionPolicy",
                        policy ? std::optional<std::string>(ToString(*policy)) : std::nullopt);
  });
  if (value.status) {
    writer.Object("status", [&](FieldWriter& status) { WriteStatus(*value.status, status); },
                  /*required=*/true);
  } else {
    writer.Erase("status");
  }
  return out;
}

}  // namespace karpenter::api::codec
