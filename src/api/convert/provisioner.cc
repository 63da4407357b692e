// karpenter.sh/v1alpha5 Provisioner -> karpenter.sh/v1 NodePool: karpenter-convert's mapping to
// v1beta1 followed by upstream's v1beta1 -> v1 conversion, done in one step.
#include <array>
#include <set>
#include <string>

#include "api/convert/converters.h"

namespace karpenter::api::convert {
namespace {

constexpr std::array<std::string_view, 13> kHandled = {"requirements",
                                                       "labels",
                                                       "annotations",
                                                       "taints",
                                                       "startupTaints",
                                                       "kubeletConfiguration",
                                                       "provider",
                                                       "providerRef",
                                                       "ttlSecondsAfterEmpty",
                                                       "ttlSecondsUntilExpired",
                                                       "limits",
                                                       "weight",
                                                       "consolidation"};

bool IsHandled(std::string_view key) {
  for (std::string_view k : kHandled) {
    if (k == key) return true;
  }
  return false;
}

// Deprecated label keys v1alpha5 read as their stable names when checking for defaults.
std::string NormalizedKey(const std::string& key) {
  if (key == "failure-domain.beta.kubernetes.io/zone") return "topology.kubernetes.io/zone";
  if (key == "failure-domain.beta.kubernetes.io/region") return "topology.kubernetes.io/region";
  if (key == "beta.kubernetes.io/arch") return "kubernetes.io/arch";
  if (key == "beta.kubernetes.io/os") return "kubernetes.io/os";
  if (key == "beta.kubernetes.io/instance-type") return "node.kubernetes.io/instance-type";
  return key;
}

// The requirements, plus the ones the v1alpha5 AWS defaulting webhook added. karpenter-convert
// wrote those defaults into the NodePool explicitly (unless --ignore-defaults), because v1beta1
// NodePools are not defaulted that way: without them a converted NodePool would start launching
// spot, arm64 or old-generation instances the Provisioner never allowed.
Json Requirements(const Json& spec, const ConversionOptions& options, Reporter& reporter) {
  Json requirements = Json::array();
  if (const Json* given = Find(spec, "requirements")) {
    if (given->is_array()) {
      requirements = *given;
    } else {
      reporter.Error("/spec/requirements", "expected a list of requirements");
    }
  }
  if (!options.apply_v1alpha5_defaults) return requirements;
  std::set<std::string> keys;
  for (const Json& requirement : requirements) {
    const std::string key = StringAt(requirement, "key");
    if (!key.empty()) keys.insert(NormalizedKey(key));
  }
  std::string added;
  auto add = [&](std::string_view key, std::string_view op, Json values) {
    requirements.push_back(Json{{"key", key}, {"operator", op}, {"values", std::move(values)}});
    added += (added.empty() ? "" : ", ") + std::string(key);
  };
  if (!keys.contains("kubernetes.io/os")) add("kubernetes.io/os", "In", {"linux"});
  if (!keys.contains("kubernetes.io/arch")) add("kubernetes.io/arch", "In", {"amd64"});
  if (!keys.contains("karpenter.sh/capacity-type")) {
    add("karpenter.sh/capacity-type", "In", {"on-demand"});
  }
  if (!keys.contains("node.kubernetes.io/instance-type") &&
      !keys.contains("karpenter.k8s.aws/instance-family") &&
      !keys.contains("karpenter.k8s.aws/instance-category") &&
      !keys.contains("karpenter.k8s.aws/instance-generation")) {
    add("karpenter.k8s.aws/instance-category", "In", {"c", "m", "r"});
    add("karpenter.k8s.aws/instance-generation", "Gt", {"2"});
  }
  if (!added.empty()) {
    reporter.Note("/spec/requirements",
                  "added the requirements v1alpha5 defaulted, as karpenter-convert did: " + added);
  }
  return requirements;
}

// The EC2NodeClass the NodePool references ("" when none); fills `inline_nodeclass` when the
// Provisioner embedded its provider.
std::string NodeClassName(const Json& spec, const std::string& provisioner_name, Reporter& reporter,
                          std::optional<Json>& inline_nodeclass) {
  if (const Json* provider = Find(spec, "provider")) {
    // karpenter-convert turned an inline provider into an EC2NodeClass named after the
    // Provisioner, and pointed the NodePool at it.
    inline_nodeclass =
        NewObject(kEc2NodeClassV1, kEc2NodeClassKind, Json{{"name", provisioner_name}},
                  Ec2NodeClassSpecFromV1alpha1(*provider, "/spec/provider", reporter));
    reporter.Note("/spec/provider",
                  "inline provider converted to EC2NodeClass \"" + provisioner_name +
                      "\" (the AWSNodeTemplate it stood for), which the NodePool references");
    if (Find(spec, "providerRef") != nullptr) {
      reporter.Note("/spec/providerRef", "ignored: spec.provider takes precedence");
    }
    return provisioner_name;
  }
  const Json* ref = Find(spec, "providerRef");
  if (ref == nullptr) {
    reporter.Error("/spec", "neither providerRef nor provider: v1 requires nodeClassRef");
    return "";
  }
  const std::string kind = StringAt(*ref, "kind");
  if (!kind.empty() && kind != "AWSNodeTemplate") {
    reporter.Error("/spec/providerRef/kind",
                   "only AWSNodeTemplate references can be converted, got " + kind);
  }
  const std::string name = StringAt(*ref, "name");
  if (name.empty()) reporter.Error("/spec/providerRef/name", "providerRef has no name");
  return name;
}

// ttlSecondsAfterEmpty and consolidation.enabled -> v1 disruption.
Json Disruption(const Json& spec, Reporter& reporter) {
  bool consolidate = false;
  if (const Json* consolidation = Find(spec, "consolidation")) {
    const Json* enabled = Find(*consolidation, "enabled");
    if (enabled != nullptr && enabled->is_boolean()) {
      consolidate = enabled->get<bool>();
    } else if (enabled != nullptr || !consolidation->is_object()) {
      reporter.Error("/spec/consolidation", "expected {enabled: true|false}");
    }
  }
  const auto after_empty = SecondsAt(spec, "ttlSecondsAfterEmpty", "/spec", reporter);
  if (consolidate) {
    if (after_empty) {
      reporter.Note("/spec/ttlSecondsAfterEmpty",
                    "ignored: consolidation also removes empty nodes (the two were exclusive)");
    }
    // v1beta1's WhenUnderutilized, renamed in v1; it never waited, which v1 spells 0s.
    return Json{{"consolidationPolicy", "WhenEmptyOrUnderutilized"}, {"consolidateAfter", "0s"}};
  }
  if (after_empty) {
    return Json{{"consolidationPolicy", "WhenEmpty"},
                {"consolidateAfter", GoDurationFromSeconds(*after_empty)}};
  }
  // Deliberately not karpenter-convert's output: it left the policy unset, so v1beta1's
  // default WhenUnderutilized applied and nodes the Provisioner kept started being
  // consolidated. "Never" keeps the Provisioner's behaviour.
  reporter.Note("/spec",
                "no ttlSecondsAfterEmpty and no consolidation: nodes were never removed for being "
                "empty or underutilized, kept as consolidationPolicy WhenEmpty with "
                "consolidateAfter Never (karpenter-convert left the policy to v1beta1's default, "
                "WhenUnderutilized)");
  return Json{{"consolidationPolicy", "WhenEmpty"}, {"consolidateAfter", "Never"}};
}

std::string ExpireAfter(const Json& spec, Reporter& reporter) {
  if (Find(spec, "ttlSecondsUntilExpired") == nullptr) {
    reporter.Note("/spec/ttlSecondsUntilExpired",
                  "absent: expireAfter Never, as v1alpha5 never expired nodes by default (v1 "
                  "would default to 720h)");
    return "Never";
  }
  const auto seconds = SecondsAt(spec, "ttlSecondsUntilExpired", "/spec", reporter);
  return seconds ? GoDurationFromSeconds(*seconds) : "Never";
}

Json Limits(const Json& limits, Reporter& reporter) {
  const Json* resources = Find(limits, "resources");
  if (resources == nullptr || !resources->is_object()) {
    reporter.Error("/spec/limits", "expected limits.resources to be a map of quantities");
    return Json::object();
  }
  for (const auto& [key, value] : limits.items()) {
    if (key != "resources") reporter.Note(Pointer("/spec/limits", key), "dropped: not in v1");
  }
  return *resources;
}

Json TemplateMetadata(const Json& spec) {
  Json metadata = Json::object();
  if (const Json* labels = Find(spec, "labels")) metadata["labels"] = *labels;
  if (const Json* annotations = Find(spec, "annotations")) metadata["annotations"] = *annotations;
  return metadata;
}

Json TemplateSpec(const Json& spec, const std::string& nodeclass, const ConversionOptions& options,
                  Reporter& reporter) {
  Json out = Json::object();
  if (!nodeclass.empty()) {
    out["nodeClassRef"] =
        Json{{"group", kAwsGroup}, {"kind", kEc2NodeClassKind}, {"name", nodeclass}};
  }
  if (const Json* taints = Find(spec, "taints")) out["taints"] = *taints;
  if (const Json* taints = Find(spec, "startupTaints")) out["startupTaints"] = *taints;
  out["expireAfter"] = ExpireAfter(spec, reporter);
  out["requirements"] = Requirements(spec, options, reporter);
  return out;
}

}  // namespace

std::vector<Json> ConvertProvisioner(const Json& source, const ConversionOptions& options,
                                     Reporter& reporter, std::vector<KubeletClaim>& claims) {
  Json metadata = ConvertedMetadata(source, reporter);
  const std::string name = StringAt(metadata, "name");
  const Json* given_spec = Find(source, "spec");
  if (given_spec == nullptr || !given_spec->is_object()) {
    reporter.Error("/spec", "Provisioner has no spec object");
  }
  const Json empty = Json::object();
  const Json& spec = given_spec != nullptr && given_spec->is_object() ? *given_spec : empty;

  std::optional<Json> inline_nodeclass;
  const std::string nodeclass = NodeClassName(spec, name, reporter, inline_nodeclass);
  Json out_spec = Json::object();
  Json template_metadata = TemplateMetadata(spec);
  Json node_template = Json::object();
  if (!template_metadata.empty()) node_template["metadata"] = std::move(template_metadata);
  node_template["spec"] = TemplateSpec(spec, nodeclass, options, reporter);
  out_spec["template"] = std::move(node_template);
  out_spec["disruption"] = Disruption(spec, reporter);
  if (const Json* limits = Find(spec, "limits")) out_spec["limits"] = Limits(*limits, reporter);
  if (const Json* weight = Find(spec, "weight")) out_spec["weight"] = *weight;
  for (const auto& [key, value] : spec.items()) {
    if (IsHandled(key)) continue;
    out_spec[key] = value;
    reporter.Note(Pointer("/spec", key), "unknown field carried unchanged");
  }

  KubeletClaim claim{reporter.object_index(), "", name, nodeclass, std::nullopt, false};
  if (const Json* kubelet = Find(spec, "kubeletConfiguration")) {
    claim.pointer = "/spec/kubeletConfiguration";
    claim.kubelet = V1Kubelet(*kubelet, claim.pointer, reporter);
  }
  claims.push_back(std::move(claim));

  std::vector<Json> outputs;
  outputs.push_back(
      NewObject(kNodePoolV1, kNodePoolKind, std::move(metadata), std::move(out_spec)));
  CarryUnknownTopLevel(source, outputs.back(), reporter);
  if (inline_nodeclass) outputs.push_back(std::move(*inline_nodeclass));
  return outputs;
}

}  // namespace karpenter::api::convert
