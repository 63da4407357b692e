// karpenter.sh/v1beta1 NodePool -> karpenter.sh/v1 NodePool, following upstream's conversion
// webhook: expireAfter moves into the template, WhenUnderutilized is renamed and gets the 0s
// consolidateAfter v1 requires, nodeClassRef trades apiVersion for group, and kubelet moves to
// the EC2NodeClass. Everything else is carried unchanged.
#include <string>

#include "api/convert/converters.h"

namespace karpenter::api::convert {
namespace {

void ConvertDisruption(Json& disruption, Reporter& reporter, std::optional<Json>& expire_after) {
  if (!disruption.is_object()) {
    reporter.Error("/spec/disruption", "expected an object");
    return;
  }
  if (disruption.contains("expireAfter")) {
    expire_after = disruption["expireAfter"];
    disruption.erase("expireAfter");
  }
  const std::string policy = StringAt(disruption, "consolidationPolicy");
  if (policy.empty() || policy == "WhenUnderutilized") {
    if (policy.empty()) {
      reporter.Note("/spec/disruption/consolidationPolicy",
                    "absent: v1beta1's default WhenUnderutilized, written out as v1's "
                    "WhenEmptyOrUnderutilized");
    }
    if (disruption.contains("consolidateAfter") && disruption["consolidateAfter"] != "0s") {
      reporter.Note("/spec/disruption/consolidateAfter",
                    "replaced by 0s: WhenUnderutilized never waited, and upstream's conversion "
                    "sets 0s");
    }
    disruption["consolidationPolicy"] = "WhenEmptyOrUnderutilized";
    disruption["consolidateAfter"] = "0s";
  } else if (policy == "WhenEmpty") {
    if (!disruption.contains("consolidateAfter")) {
      // What upstream's conversion produces from a missing (nil) duration.
      disruption["consolidateAfter"] = "Never";
      reporter.Note("/spec/disruption/consolidateAfter",
                    "absent (v1beta1 required it with WhenEmpty): written as Never, as upstream's "
                    "conversion does, so empty nodes are not removed");
    }
  } else {
    reporter.Error("/spec/disruption/consolidationPolicy",
                   "unknown consolidationPolicy \"" + policy + "\"");
  }
}

// v1beta1 {apiVersion, kind, name} -> v1 {group, kind, name}; a missing apiVersion or kind
// meant the provider's default node class.
Json V1NodeClassRef(const Json& ref, Reporter& reporter) {
  constexpr std::string_view kPointer = "/spec/template/spec/nodeClassRef";
  if (!ref.is_object()) {
    reporter.Error(std::string(kPointer), "expected an object");
    return ref;
  }
  std::string group(kAwsGroup);
  const std::string api_version = StringAt(ref, "apiVersion");
  if (!api_version.empty()) group = api_version.substr(0, api_version.find('/'));
  std::string kind = StringAt(ref, "kind");
  if (kind.empty()) kind = kEc2NodeClassKind;
  Json out{{"group", group}, {"kind", kind}, {"name", ref.value("name", Json())}};
  if (StringAt(ref, "name").empty()) {
    reporter.Error(Pointer(kPointer, "name"), "nodeClassRef has no name");
  }
  for (const auto& [key, value] : ref.items()) {
    if (key == "apiVersion" || key == "kind" || key == "name") continue;
    out[key] = value;
    reporter.Note(Pointer(kPointer, key), "unknown field carried unchanged");
  }
  return out;
}

// Converts template.spec in place; returns the NodePool's kubelet claim.
KubeletClaim ConvertTemplateSpec(Json& spec, const std::string& nodepool,
                                 std::optional<Json> expire_after, Reporter& reporter) {
  constexpr std::string_view kPointer = "/spec/template/spec";
  KubeletClaim claim{reporter.object_index(), "", nodepool, "", std::nullopt, true};
  if (spec.contains("nodeClassRef")) {
    spec["nodeClassRef"] = V1NodeClassRef(spec["nodeClassRef"], reporter);
    if (StringAt(spec["nodeClassRef"], "kind") == kEc2NodeClassKind) {
      claim.nodeclass = StringAt(spec["nodeClassRef"], "name");
    }
  } else {
    reporter.Error(Pointer(kPointer, "nodeClassRef"), "v1 requires nodeClassRef");
  }
  if (spec.contains("kubelet")) {
    claim.pointer = Pointer(kPointer, "kubelet");
    claim.kubelet = V1Kubelet(spec["kubelet"], claim.pointer, reporter);
    spec.erase("kubelet");
  }
  if (spec.contains("resources")) {
    // A no-op in v1beta1 NodePools (karpenter-convert even stripped the empty one it printed).
    if (!spec["resources"].empty()) {
      reporter.Note(Pointer(kPointer, "resources"), "dropped: v1 NodePools have no resources");
    }
    spec.erase("resources");
  }
  if (expire_after) spec["expireAfter"] = std::move(*expire_after);
  return claim;
}

void DropKubeletAnnotation(Json& metadata, Reporter& reporter) {
  if (!metadata.contains("annotations") || !metadata["annotations"].is_object()) return;
  Json& annotations = metadata["annotations"];
  if (!annotations.contains(kKubeletCompatibilityAnnotation)) return;
  annotations.erase(std::string(kKubeletCompatibilityAnnotation));
  if (annotations.empty()) metadata.erase("annotations");
  reporter.Note(Pointer("/metadata/annotations", kKubeletCompatibilityAnnotation),
                "dropped: Karpenter v1.1 refuses NodePools with this annotation; kubelet "
                "settings belong on the EC2NodeClass");
}

}  // namespace

Json ConvertV1beta1NodePool(const Json& source, Reporter& reporter,
                            std::vector<KubeletClaim>& claims) {
  Json metadata = ConvertedMetadata(source, reporter);
  DropKubeletAnnotation(metadata, reporter);
  const std::string name = StringAt(metadata, "name");
  const Json* given_spec = Find(source, "spec");
  if (given_spec == nullptr || !given_spec->is_object()) {
    reporter.Error("/spec", "NodePool has no spec object");
  }
  Json spec = given_spec != nullptr && given_spec->is_object() ? *given_spec : Json::object();

  std::optional<Json> expire_after;
  if (spec.contains("disruption")) ConvertDisruption(spec["disruption"], reporter, expire_after);
  Json* template_spec = nullptr;
  if (spec.contains("template") && spec["template"].is_object() &&
      spec["template"].contains("spec") && spec["template"]["spec"].is_object()) {
    template_spec = &spec["template"]["spec"];
  }
  if (template_spec != nullptr) {
    claims.push_back(ConvertTemplateSpec(*template_spec, name, std::move(expire_after), reporter));
  } else {
    reporter.Error("/spec/template/spec", "NodePool has no template.spec object");
  }

  Json out = NewObject(kNodePoolV1, kNodePoolKind, std::move(metadata), std::move(spec));
  CarryUnknownTopLevel(source, out, reporter);
  return out;
}

}  // namespace karpenter::api::convert
