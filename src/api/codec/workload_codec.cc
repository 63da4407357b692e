#include "api/codec/workload_codec.h"

#include <string_view>

#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/object_meta_codec.h"
#include "api/codec/pod_codec.h"
#include "api/codec/selector_codec.h"

namespace karpenter::api::codec {
namespace {

// Go's %#v of a map[string]string, which is how the API server prints template labels.
std::string GoMap(const Labels& labels) {
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) out += ", ";
    out += internal::Quote(key) + ":" + internal::Quote(value);
    first = false;
  }
  return out + "}";
}

int32_t ReadReplicas(const FieldReader& spec) {
  int32_t replicas = internal::ReadInt32(spec, "replicas").value_or(1);
  if (replicas < 0) {
    spec.Error("replicas", internal::InvalidInt(replicas, "must be greater than or equal to 0"));
  }
  return replicas;
}

// The selector and template every apps/v1 controller has, checked as the API server checks
// them: the selector is required and not empty, and the template's labels must match it.
void ReadSelectorAndTemplate(const FieldReader& spec, std::string_view kind,
                             std::optional<core::LabelSelector>& selector,
                             PodTemplateSpec& pod_template) {
  selector = ReadOptionalLabelSelector(spec, "selector");
  const FieldReader template_reader = spec.Object("template");
  const FieldReader metadata_reader = template_reader.Object("metadata");
  pod_template.metadata = ReadObjectMeta(metadata_reader);
  pod_template.spec = ReadPodSpec(template_reader.Object("spec"));
  if (!selector) {
    spec.Error("selector", internal::Required());
    return;
  }
  if (selector->IsEmpty()) {
    spec.Error("selector",
               "Invalid value: {}: empty selector is invalid for " + std::string(kind));
    return;
  }
  if (selector->Validate() && !selector->Matches(pod_template.metadata.labels)) {
    metadata_reader.Error(
        "labels", "Invalid value: " + GoMap(pod_template.metadata.labels) +
                      ": `selector` does not match template `labels`");
  }
}

void WriteSelectorAndTemplate(const std::optional<core::LabelSelector>& selector,
                              const PodTemplateSpec& pod_template, FieldWriter& spec) {
  WriteOptionalLabelSelector(selector, "selector", spec);
  spec.Object("template", [&](FieldWriter& writer) { WritePodTemplateSpec(pod_template, writer); });
}

// Writes apiVersion, kind and metadata, then the spec with `fill`.
Json EncodeObject(const Json& raw, std::string_view kind, const ObjectMeta& metadata,
                  const std::function<void(FieldWriter&)>& fill) {
  Json out = raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "apps/v1");
  writer.String("kind", std::string(kind));
  writer.Object("metadata", [&](FieldWriter& meta) { WriteObjectMeta(metadata, meta); },
                /*required=*/true);
  writer.Object("spec", fill);
  return out;
}

// Deployment and ReplicaSet have the same shape as far as Karpenter is concerned.
template <typename T>
T DecodeReplicated(const Json& object, FieldErrors& errors, const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  T value;
  value.metadata = ReadObjectMeta(root.Object("metadata"));
  const FieldReader spec = root.Object("spec");
  value.replicas = ReadReplicas(spec);
  ReadSelectorAndTemplate(spec, "deployment", value.selector, value.pod_template);
  value.raw = object;
  return value;
}

template <typename T>
Json EncodeReplicated(const T& value, std::string_view kind) {
  return EncodeObject(value.raw, kind, value.metadata, [&](FieldWriter& spec) {
    internal::WriteIntWithDefault(spec, "replicas", value.replicas, 1);
    WriteSelectorAndTemplate(value.selector, value.pod_template, spec);
  });
}

}  // namespace

PodTemplateSpec ReadPodTemplateSpec(const FieldReader& reader) {
  PodTemplateSpec value;
  value.metadata = ReadObjectMeta(reader.Object("metadata"));
  value.spec = ReadPodSpec(reader.Object("spec"));
  return value;
}

void WritePodTemplateSpec(const PodTemplateSpec& value, FieldWriter& writer) {
  writer.Object("metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); });
  writer.Object("spec", [&](FieldWriter& spec) { WritePodSpec(value.spec, spec); });
}

Deployment DecodeDeployment(const Json& object, FieldErrors& errors, const std::string& pointer) {
  return DecodeReplicated<Deployment>(object, errors, pointer);
}

Json EncodeDeployment(const Deployment& value) { return EncodeReplicated(value, "Deployment"); }

ReplicaSet DecodeReplicaSet(const Json& object, FieldErrors& errors, const std::string& pointer) {
  return DecodeReplicated<ReplicaSet>(object, errors, pointer);
}

Json EncodeReplicaSet(const ReplicaSet& value) { return EncodeReplicated(value, "ReplicaSet"); }

StatefulSet DecodeStatefulSet(const Json& object, FieldErrors& errors,
                              const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  StatefulSet value;
  value.metadata = ReadObjectMeta(root.Object("metadata"));
  const FieldReader spec = root.Object("spec");
  value.replicas = ReadReplicas(spec);
  ReadSelectorAndTemplate(spec, "statefulset", value.selector, value.pod_template);
  value.service_name = spec.String("serviceName").value_or("");
  value.pod_management_policy = spec.String("podManagementPolicy").value_or("OrderedReady");
  if (value.pod_management_policy != "OrderedReady" && value.pod_management_policy != "Parallel") {
    spec.Error("podManagementPolicy",
               internal::InvalidString(value.pod_management_policy,
                                       "must be 'OrderedReady' or 'Parallel'"));
  }
  spec.Objects("volumeClaimTemplates", [&](const FieldReader& item) {
    value.volume_claim_template_names.push_back(
        item.Object("metadata").String("name").value_or(""));
  });
  value.raw = object;
  return value;
}

Json EncodeStatefulSet(const StatefulSet& value) {
  return EncodeObject(value.raw, "StatefulSet", value.metadata, [&](FieldWriter& spec) {
    internal::WriteIntWithDefault(spec, "replicas", value.replicas, 1);
    WriteSelectorAndTemplate(value.selector, value.pod_template, spec);
    spec.OmitEmptyString("serviceName", value.service_name);
    internal::WriteStringWithDefault(spec, "podManagementPolicy", value.pod_management_policy,
                                     "OrderedReady");
    const std::vector<std::string>& names = value.volume_claim_template_names;
    spec.ObjectList("volumeClaimTemplates", names.size(), [&](std::size_t i, FieldWriter& item) {
      item.Object("metadata", [&](FieldWriter& meta) { meta.OmitEmptyString("name", names[i]); });
    });
  });
}

DaemonSet DecodeDaemonSet(const Json& object, FieldErrors& errors, const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  DaemonSet value;
  value.metadata = ReadObjectMeta(root.Object("metadata"));
  ReadSelectorAndTemplate(root.Object("spec"), "daemonset", value.selector, value.pod_template);
  value.raw = object;
  return value;
}

Json EncodeDaemonSet(const DaemonSet& value) {
  return EncodeObject(value.raw, "DaemonSet", value.metadata, [&](FieldWriter& spec) {
    WriteSelectorAndTemplate(value.selector, value.pod_template, spec);
  });
}

}  // namespace karpenter::api::codec
