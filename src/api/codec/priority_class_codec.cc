#include "api/codec/priority_class_codec.h"

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

// Upstream's HighestUserDefinablePriority; system classes sit above it.
constexpr int32_t kHighestUserDefinablePriority = 1'000'000'000;

}  // namespace

PriorityClass DecodePriorityClass(const Json& object, FieldErrors& errors,
                                  const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  PriorityClass value;
  value.metadata = ReadObjectMeta(root.Object("metadata"));
  value.value = internal::ReadInt32(root, "value").value_or(0);
  if (value.value > kHighestUserDefinablePriority && !value.metadata.name.starts_with("system-")) {
    root.Error("value", internal::Forbidden("maximum allowed value of a user defined priority is " +
                                            std::to_string(kHighestUserDefinablePriority)));
  }
  value.global_default = root.Bool("globalDefault").value_or(false);
  value.preemption_policy = internal::ReadPreemptionPolicy(root);
  value.description = root.String("description").value_or("");
  value.raw = object;
  return value;
}

Json EncodePriorityClass(const PriorityClass& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "scheduling.k8s.io/v1");
  writer.String("kind", "PriorityClass");
  writer.Object("metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
                /*required=*/true);
  writer.Int("value", value.value);
  writer.OmitEmptyBool("globalDefault", value.global_default);
  writer.OmitEmptyString("description", value.description);
  internal::WritePreemptionPolicy(writer, value.preemption_policy);
  return out;
}

}  // namespace karpenter::api::codec
