#include "api/codec/pod_codec.h"

#include <utility>

#include "api/codec/affinity_codec.h"
#include "api/codec/container_codec.h"
#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/object_meta_codec.h"
#include "api/codec/taint_codec.h"
#include "api/codec/topology_spread_codec.h"

namespace karpenter::api::codec {
namespace {

Volume ReadVolume(const FieldReader& reader) {
  Volume volume;
  volume.name = reader.RequiredString("name");
  if (reader.Has("persistentVolumeClaim")) {
    volume.claim_name = reader.Object("persistentVolumeClaim").RequiredString("claimName");
  }
  if (reader.Has("ephemeral")) {
    volume.ephemeral = true;
    const FieldReader ephemeral = reader.Object("ephemeral");
    if (!ephemeral.Has("volumeClaimTemplate")) {
      ephemeral.Error("volumeClaimTemplate", internal::Required());
    }
  }
  return volume;
}

void WriteVolume(const Volume& volume, FieldWriter& writer) {
  writer.String("name", volume.name);
  if (!volume.ephemeral) {
    writer.Erase("ephemeral");
  } else if (writer.Existing("ephemeral") == nullptr) {
    // The claim template is not modelled: a new ephemeral volume gets an empty source.
    writer.Set("ephemeral", Json::object());
  }
  if (!volume.claim_name) {
    writer.Erase("persistentVolumeClaim");
    return;
  }
  writer.Object("persistentVolumeClaim",
                [&](FieldWriter& claim) { claim.String("claimName", *volume.claim_name); });
}

PodStatus ReadPodStatus(const FieldReader& reader) {
  PodStatus status;
  status.phase = reader.String("phase").value_or("");
  reader.Objects("conditions", [&](const FieldReader& item) {
    PodCondition condition;
    condition.type = item.String("type").value_or("");
    condition.status = item.String("status").value_or("");
    condition.reason = item.String("reason").value_or("");
    condition.message = item.String("message").value_or("");
    condition.last_transition_time = item.Timestamp("lastTransitionTime");
    status.conditions.push_back(std::move(condition));
  });
  status.nominated_node_name = reader.String("nominatedNodeName").value_or("");
  status.start_time = reader.Timestamp("startTime");
  return status;
}

void WritePodStatus(const PodStatus& status, FieldWriter& writer) {
  writer.OmitEmptyString("phase", status.phase);
  writer.ObjectList("conditions", status.conditions.size(), [&](std::size_t i, FieldWriter& item) {
    const PodCondition& condition = status.conditions[i];
    item.String("type", condition.type);
    item.String("status", condition.status);
    item.Timestamp("lastTransitionTime", condition.last_transition_time);
    item.OmitEmptyString("reason", condition.reason);
    item.OmitEmptyString("message", condition.message);
  });
  writer.OmitEmptyString("nominatedNodeName", status.nominated_node_name);
  writer.Timestamp("startTime", status.start_time);
}

}  // namespace

PodSpec ReadPodSpec(const FieldReader& reader) {
  PodSpec spec;
  spec.node_name = reader.String("nodeName").value_or("");
  spec.node_selector = reader.StringMap("nodeSelector");
  spec.affinity = ReadAffinity(reader.Object("affinity"));
  reader.Objects("tolerations", [&](const FieldReader& item) {
    spec.tolerations.push_back(ReadToleration(item));
  });
  spec.topology_spread_constraints =
      ReadTopologySpreadConstraints(reader, "topologySpreadConstraints");
  ReadContainers(reader, spec.containers, spec.init_containers);
  if (spec.containers.empty()) {
    reader.Error("containers", internal::Required());
  }
  spec.overhead = reader.Resources("overhead");
  spec.priority = internal::ReadInt32(reader, "priority");
  spec.priority_class_name = reader.String("priorityClassName").value_or("");
  spec.preemption_policy = internal::ReadPreemptionPolicy(reader);
  spec.scheduler_name = reader.String("schedulerName").value_or(std::string(kDefaultSchedulerName));
  spec.runtime_class_name = reader.String("runtimeClassName");
  reader.Objects("volumes", [&](const FieldReader& item) { spec.volumes.push_back(ReadVolume(item)); });
  spec.termination_grace_period_seconds =
      reader.Int("terminationGracePeriodSeconds").value_or(kDefaultTerminationGracePeriodSeconds);
  return spec;
}

void WritePodSpec(const PodSpec& spec, FieldWriter& writer) {
  // Fields new to the Json are written in the order Kubernetes prints them.
  writer.ObjectList("volumes", spec.volumes.size(),
                    [&](std::size_t i, FieldWriter& item) { WriteVolume(spec.volumes[i], item); });
  writer.ObjectList("initContainers", spec.init_containers.size(),
                    [&](std::size_t i, FieldWriter& item) {
                      WriteContainer(spec.init_containers[i], item);
                    });
  writer.ObjectList("containers", spec.containers.size(), [&](std::size_t i, FieldWriter& item) {
    WriteContainer(spec.containers[i], item);
  });
  internal::WriteIntWithDefault(writer, "terminationGracePeriodSeconds",
                                spec.termination_grace_period_seconds,
                                kDefaultTerminationGracePeriodSeconds);
  writer.StringMap("nodeSelector", spec.node_selector);
  writer.OmitEmptyString("nodeName", spec.node_name);
  writer.Object("affinity", [&](FieldWriter& affinity) { WriteAffinity(spec.affinity, affinity); });
  internal::WriteStringWithDefault(writer, "schedulerName", spec.scheduler_name,
                                   kDefaultSchedulerName);
  writer.ObjectList("tolerations", spec.tolerations.size(), [&](std::size_t i, FieldWriter& item) {
    WriteToleration(spec.tolerations[i], item);
  });
  writer.OmitEmptyString("priorityClassName", spec.priority_class_name);
  writer.OptionalInt("priority", spec.priority);
  writer.OptionalString("runtimeClassName", spec.runtime_class_name);
  internal::WritePreemptionPolicy(writer, spec.preemption_policy);
  writer.Resources("overhead", spec.overhead);
  writer.ObjectList("topologySpreadConstraints", spec.topology_spread_constraints.size(),
                    [&](std::size_t i, FieldWriter& item) {
                      WriteTopologySpreadConstraint(spec.topology_spread_constraints[i], item);
                    });
}

Pod DecodePod(const Json& object, FieldErrors& errors, const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  Pod pod;
  pod.metadata = ReadObjectMeta(root.Object("metadata"));
  pod.spec = ReadPodSpec(root.Object("spec"));
  pod.status = ReadPodStatus(root.Object("status"));
  pod.raw = object;
  return pod;
}

Json EncodePod(const Pod& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "v1");
  writer.String("kind", "Pod");
  writer.Object("metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
                /*required=*/true);
  writer.Object("spec", [&](FieldWriter& spec) { WritePodSpec(value.spec, spec); });
  writer.Object("status", [&](FieldWriter& status) { WritePodStatus(value.status, status); });
  return out;
}

}  // namespace karpenter::api::codec
