#include "api/codec/node_claim_codec.h"

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/karpenter_common_codec.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

constexpr const char* kApiVersion = "karpenter.sh/v1";
constexpr const char* kKind = "NodeClaim";

NodeClaimStatus ReadStatus(const FieldReader& status) {
  NodeClaimStatus out;
  out.node_name = status.String("nodeName").value_or("");
  out.provider_id = status.String("providerID").value_or("");
  out.image_id = status.String("imageID").value_or("");
  out.capacity = status.Resources("capacity");
  out.allocatable = status.Resources("allocatable");
  out.conditions = ReadConditions(status, "conditions");
  out.last_pod_event_time = status.Timestamp("lastPodEventTime");
  return out;
}

void WriteStatus(const NodeClaimStatus& status, FieldWriter& w) {
  w.OmitEmptyString("nodeName", status.node_name);
  w.OmitEmptyString("providerID", status.provider_id);
  w.OmitEmptyString("imageID", status.image_id);
  w.Resources("capacity", status.capacity);
  w.Resources("allocatable", status.allocatable);
  WriteConditions(w, "conditions", status.conditions);
  w.Timestamp("lastPodEventTime", status.last_pod_event_time);
}

}  // namespace

NodeClaim DecodeNodeClaim(const Json& object, FieldErrors& errors, const std::string& pointer) {
  NodeClaim claim;
  claim.raw = object;
  FieldReader root(&object, pointer, &errors);
  claim.metadata = ReadObjectMeta(root.Object("metadata"));
  FieldReader spec = root.Object("spec");
  ReadNodeClaimTemplateSpec(spec, claim.spec);
  claim.spec.resource_requests = spec.Object("resources").Resources("requests");
  claim.status = ReadStatus(root.Object("status"));
  return claim;
}

Json EncodeNodeClaim(const NodeClaim& value) {
  Json out = value.raw.is_object() ? value.raw : Json::object();
  FieldWriter w(out);
  w.String("apiVersion", kApiVersion);
  w.String("kind", kKind);
  w.Object("metadata", [&](FieldWriter& m) { WriteObjectMeta(value.metadata, m); }, true);
  w.Object(
      "spec",
      [&](FieldWriter& spec) {
        WriteNodeClaimTemplateSpec(value.spec, spec);
        spec.Object("resources", [&](FieldWriter& resources) {
          resources.Resources("requests", value.spec.resource_requests);
        });
      },
      true);
  w.Object("status", [&](FieldWriter& s) { WriteStatus(value.status, s); });
  return out;
}

}  // namespace karpenter::api::codec
