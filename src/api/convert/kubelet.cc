// v1 moved kubelet settings from the NodePool to the EC2NodeClass. A NodePool's settings can
// move only when every NodePool sharing that EC2NodeClass agrees on them; otherwise the v1
// upgrade guide asks for one EC2NodeClass per kubelet configuration, a choice left to a person.
#include <array>
#include <map>
#include <string>

#include "api/convert/converters.h"

namespace karpenter::api::convert {
namespace {

constexpr std::array<std::string_view, 12> kV1KubeletFields = {"clusterDNS",
                                                               "cpuCFSQuota",
                                                               "evictionHard",
                                                               "evictionMaxPodGracePeriod",
                                                               "evictionSoft",
                                                               "evictionSoftGracePeriod",
                                                               "imageGCHighThresholdPercent",
                                                               "imageGCLowThresholdPercent",
                                                               "kubeReserved",
                                                               "maxPods",
                                                               "podsPerCore",
                                                               "systemReserved"};

bool IsV1KubeletField(std::string_view key) {
  for (std::string_view field : kV1KubeletFields) {
    if (field == key) return true;
  }
  return false;
}

// The converted EC2NodeClass named `name`, or the first v1 one passed through; -1 when none.
long FindNodeClass(const ConversionResult& result, const std::vector<bool>& converted,
                   const std::string& name) {
  long passed_through = -1;
  for (std::size_t i = 0; i < result.objects.size(); ++i) {
    const Json& object = result.objects[i];
    if (StringAt(object, "apiVersion") != kEc2NodeClassV1 ||
        StringAt(object, "kind") != kEc2NodeClassKind) {
      continue;
    }
    const Json* metadata = Find(object, "metadata");
    if (metadata == nullptr || StringAt(*metadata, "name") != name) continue;
    if (converted[i]) return static_cast<long>(i);
    if (passed_through < 0) passed_through = static_cast<long>(i);
  }
  return passed_through;
}

std::string MovedMessage(const KubeletClaim& claim) {
  std::string message = "moved to EC2NodeClass \"" + claim.nodeclass +
                        "\" spec.kubelet (v1 keeps kubelet settings on the EC2NodeClass)";
  if (claim.from_v1beta1) {
    message += "; upstream's conversion webhook parked them in the NodePool annotation " +
               std::string(kKubeletCompatibilityAnnotation) +
               " instead, which must be gone before Karpenter v1.1";
  }
  return message;
}

// Every claim on one EC2NodeClass, at least one of which carries kubelet settings.
void ApplyGroup(const std::string& nodeclass, const std::vector<const KubeletClaim*>& group,
                const std::vector<bool>& converted, ConversionResult& result) {
  const KubeletClaim* first = nullptr;
  bool agreed = true;
  std::string nodepools;
  for (const KubeletClaim* claim : group) {
    nodepools += (nodepools.empty() ? "" : ", ") + claim->nodepool;
    if (!claim->kubelet) {
      agreed = false;
    } else if (first == nullptr) {
      first = claim;
    } else if (*claim->kubelet != *first->kubelet) {
      agreed = false;
    }
  }
  for (const KubeletClaim* claim : group) {
    if (!claim->kubelet) continue;
    Reporter reporter(claim->object_index, result.notes, result.errors);
    if (!agreed) {
      reporter.Error(claim->pointer,
                     "NodePools " + nodepools + " share EC2NodeClass \"" + nodeclass +
                         "\" but not their kubelet settings, which v1 keeps on the "
                         "EC2NodeClass: give each kubelet configuration its own EC2NodeClass");
      continue;
    }
    const long target = FindNodeClass(result, converted, nodeclass);
    if (target < 0) {
      reporter.Note(claim->pointer, "EC2NodeClass \"" + nodeclass +
                                        "\" is not in the input: set its spec.kubelet to " +
                                        claim->kubelet->dump());
      continue;
    }
    Json& spec = result.objects[static_cast<std::size_t>(target)]["spec"];
    if (converted[static_cast<std::size_t>(target)]) {
      spec["kubelet"] = *claim->kubelet;
      reporter.Note(claim->pointer, MovedMessage(*claim));
    } else if (!spec.is_object() || !spec.contains("kubelet") ||
               spec["kubelet"] != *claim->kubelet) {
      reporter.Error(claim->pointer, "EC2NodeClass \"" + nodeclass +
                                         "\" is already v1 and was left unchanged: set its "
                                         "spec.kubelet to " +
                                         claim->kubelet->dump());
    }
  }
}

}  // namespace

Json V1Kubelet(const Json& kubelet, std::string_view pointer, Reporter& reporter) {
  Json out = Json::object();
  if (!kubelet.is_object()) {
    reporter.Error(std::string(pointer), "expected an object");
    return out;
  }
  for (const auto& [key, value] : kubelet.items()) {
    if (key == "containerRuntime") {
      reporter.Note(Pointer(pointer, key),
                    "dropped: v1 has no containerRuntime (containerd is the only runtime)");
      continue;
    }
    if (!IsV1KubeletField(key)) {
      reporter.Note(Pointer(pointer, key), "not a v1 kubelet field; carried unchanged");
    }
    out[key] = value;
  }
  return out;
}

std::optional<KubeletClaim> ClaimOfV1NodePool(const Json& source, std::size_t object_index) {
  const Json* spec = Find(source, "spec");
  const Json* node_template = spec ? Find(*spec, "template") : nullptr;
  const Json* template_spec = node_template ? Find(*node_template, "spec") : nullptr;
  const Json* ref = template_spec ? Find(*template_spec, "nodeClassRef") : nullptr;
  if (ref == nullptr || StringAt(*ref, "kind") != kEc2NodeClassKind ||
      StringAt(*ref, "group") != kAwsGroup || StringAt(*ref, "name").empty()) {
    return std::nullopt;
  }
  const Json* metadata = Find(source, "metadata");
  return KubeletClaim{
      object_index,           "",           metadata ? StringAt(*metadata, "name") : "",
      StringAt(*ref, "name"), std::nullopt, false};
}

void ApplyKubeletClaims(const std::vector<KubeletClaim>& claims, const std::vector<bool>& converted,
                        ConversionResult& result) {
  std::map<std::string, std::vector<const KubeletClaim*>> groups;
  for (const KubeletClaim& claim : claims) {
    if (!claim.nodeclass.empty()) {
      groups[claim.nodeclass].push_back(&claim);
    } else if (claim.kubelet) {
      Reporter reporter(claim.object_index, result.notes, result.errors);
      reporter.Error(claim.pointer,
                     "kubelet settings cannot be placed: the NodePool references no "
                     "EC2NodeClass");
    }
  }
  for (const auto& [nodeclass, group] : groups) {
    bool any_kubelet = false;
    for (const KubeletClaim* claim : group) any_kubelet = any_kubelet || claim->kubelet.has_value();
    if (any_kubelet) ApplyGroup(nodeclass, group, converted, result);
  }
}

}  // namespace karpenter::api::convert
