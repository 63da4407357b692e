#include "api/codec/node_codec.h"

#include <utility>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/object_meta_codec.h"
#include "api/codec/taint_codec.h"

namespace karpenter::api::codec {
namespace {

NodeSpec ReadNodeSpec(const FieldReader& reader) {
  NodeSpec spec;
  spec.provider_id = reader.String("providerID").value_or("");
  spec.taints = ReadTaints(reader, "taints");
  spec.unschedulable = reader.Bool("unschedulable").value_or(false);
  return spec;
}

void WriteNodeSpec(const NodeSpec& spec, FieldWriter& writer) {
  writer.OmitEmptyString("providerID", spec.provider_id);
  writer.OmitEmptyBool("unschedulable", spec.unschedulable);
  writer.ObjectList("taints", spec.taints.size(),
                    [&](std::size_t i, FieldWriter& item) { WriteTaint(spec.taints[i], item); });
}

NodeStatus ReadNodeStatus(const FieldReader& reader) {
  NodeStatus status;
  status.capacity = reader.Resources("capacity");
  status.allocatable = reader.Resources("allocatable");
  reader.Objects("conditions", [&](const FieldReader& item) {
    NodeCondition condition;
    condition.type = item.String("type").value_or("");
    condition.status = item.String("status").value_or("");
    condition.reason = item.String("reason").value_or("");
    condition.message = item.String("message").value_or("");
    condition.last_heartbeat_time = item.Timestamp("lastHeartbeatTime");
    condition.last_transition_time = item.Timestamp("lastTransitionTime");
    status.conditions.push_back(std::move(condition));
  });
  const FieldReader info = reader.Object("nodeInfo");
  status.node_info.architecture = info.String("architecture").value_or("");
  status.node_info.operating_system = info.String("operatingSystem").value_or("");
  return status;
}

void WriteNodeStatus(const NodeStatus& status, FieldWriter& writer) {
  writer.Resources("capacity", status.capacity);
  writer.Resources("allocatable", status.allocatable);
  writer.ObjectList("conditions", status.conditions.size(), [&](std::size_t i, FieldWriter& item) {
    const NodeCondition& condition = status.conditions[i];
    item.String("type", condition.type);
    item.String("status", condition.status);
    item.Timestamp("lastHeartbeatTime", condition.last_heartbeat_time);
    item.Timestamp("lastTransitionTime", condition.last_transition_time);
    item.OmitEmptyString("reason", condition.reason);
    item.OmitEmptyString("message", condition.message);
  });
  writer.Object("nodeInfo", [&](FieldWriter& info) {
    info.OmitEmptyString("architecture", status.node_info.architecture);
    info.OmitEmptyString("operatingSystem", status.node_info.operating_system);
  });
}

}  // namespace

Node DecodeNode(const Json& object, FieldErrors& errors, const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  Node node;
  node.metadata = ReadObjectMeta(root.Object("metadata"));
  node.spec = ReadNodeSpec(root.Object("spec"));
  node.status = ReadNodeStatus(root.Object("status"));
  node.raw = object;
  return node;
}

Json EncodeNode(const Node& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "v1");
  writer.String("kind", "Node");
  writer.Object("metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
                /*required=*/true);
  writer.Object("spec", [&](FieldWriter& spec) { WriteNodeSpec(value.spec, spec); });
  writer.Object("status", [&](FieldWriter& status) { WriteNodeStatus(value.status, status); });
  return out;
}

}  // namespace karpenter::api::codec
