#include "scheduling/well_known.h"

#include <array>
#include <utility>

#include "catalog/labels.h"

namespace karpenter::scheduling {

const core::AllowUndefinedKeys& WellKnownLabels() {
  static const core::AllowUndefinedKeys kKeys = [] {
    core::AllowUndefinedKeys keys = {
        std::string(kLabelNodePool),
        std::string(catalog::kLabelZone),
        std::string(catalog::kLabelCapacityType),
        std::string(kLabelZoneId),
    };
    for (size_t i = 0; i < catalog::kLabelKeyCount; ++i) {
      keys.insert(std::string(catalog::LabelKeyName(static_cast<catalog::LabelKey>(i))));
    }
    return keys;
  }();
  return kKeys;
}

std::string NormalizeLabelKey(std::string_view key) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kAliases = {{
      {"failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/zone"},
      {"failure-domain.beta.kubernetes.io/region", "topology.kubernetes.io/region"},
      {"beta.kubernetes.io/arch", "kubernetes.io/arch"},
      {"beta.kubernetes.io/os", "kubernetes.io/os"},
      {"beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type"},
  }};
  for (const auto& [alias, stable] : kAliases) {
    if (key == alias) return std::string(stable);
  }
  return std::string(key);
}

bool IsEphemeralTaint(const core::Taint& taint) {
  using core::TaintEffect;
  static constexpr std::array<std::pair<std::string_view, TaintEffect>, 4> kEphemeral = {{
      {"node.kubernetes.io/not-ready", TaintEffect::NoSchedule},
      {"node.kubernetes.io/unreachable", TaintEffect::NoSchedule},
      {"node.cloudprovider.kubernetes.io/uninitialized", TaintEffect::NoSchedule},
      {"karpenter.sh/unregistered", TaintEffect::NoExecute},
  }};
  for (const auto& [key, effect] : kEphemeral) {
    if (taint.key == key && taint.effect == effect) return true;
  }
  return false;
}

std::vector<core::Taint> WithoutEphemeralTaints(const std::vector<core::Taint>& taints) {
  std::vector<core::Taint> kept;
  for (const core::Taint& taint : taints) {
    if (!IsEphemeralTaint(taint)) kept.push_back(taint);
  }
  return kept;
}

}  // namespace karpenter::scheduling
