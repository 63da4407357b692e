#include "catalog/node_class_settings.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "api/model/ec2_node_class.h"

namespace karpenter::catalog {
namespace {

constexpr int64_t kGi = int64_t{1} << 30;

// Upstream's DefaultEBS volume: 20Gi.
core::Quantity DefaultVolumeSize() {
  return core::Quantity::FromInt(20 * kGi, core::Format::kBinarySI);
}

struct FamilyName {
  std::string_view name;
  AmiFamily family;
};
constexpr FamilyName kFamilies[] = {
    {"AL2", AmiFamily::kAL2},
    {"AL2023", AmiFamily::kAL2023},
    {"Bottlerocket", AmiFamily::kBottlerocket},
    {"Windows2019", AmiFamily::kWindows2019},
    {"Windows2022", AmiFamily::kWindows2022},
    {"Windows2025", AmiFamily::kWindows2025},
    {"Custom", AmiFamily::kCustom},
};

bool IsWindows(AmiFamily family) {
  return family == AmiFamily::kWindows2019 || family == AmiFamily::kWindows2022 ||
         family == AmiFamily::kWindows2025;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The size the mapping's EBS volume gives, if any.
const core::Quantity* VolumeSize(const api::BlockDeviceMapping& mapping) {
  if (!mapping.ebs || !mapping.ebs->volume_size) return nullptr;
  return &*mapping.ebs->volume_size;
}

// Copies threshold texts, failing on a value that is neither a quantity nor a percentage (the
// CRD admits "", which upstream could not parse either).
Result<std::map<std::string, std::string>> ThresholdTexts(
    const std::map<std::string, api::EvictionThreshold>& thresholds, std::string_view field,
    const std::string& object) {
  std::map<std::string, std::string> texts;
  for (const auto& [signal, threshold] : thresholds) {
    if (!threshold.quantity && !threshold.percentage) {
      return Fail("EC2NodeClass/" + object + ": spec.kubelet." + std::string(field) + "[" + signal +
                  "]: invalid eviction threshold \"" + threshold.text +
                  "\": expected a quantity such as \"100Mi\" or a percentage such as \"10%\"");
    }
    texts.emplace(signal, threshold.text);
  }
  return texts;
}

}  // namespace

AmiFamily ParseAmiFamily(std::string_view name) {
  for (const FamilyName& entry : kFamilies) {
    if (entry.name == name) return entry.family;
  }
  return AmiFamily::kAL2;
}

AmiFamily ResolveAmiFamily(const api::EC2NodeClass& node_class) {
  if (node_class.spec.ami_family) return ParseAmiFamily(*node_class.spec.ami_family);
  for (const api::AMISelectorTerm& term : node_class.spec.ami_selector_terms) {
    if (term.alias.empty()) continue;
    // Only the first alias counts; its family is the part before '@'.
    std::string_view alias = term.alias;
    std::string_view family = alias.substr(0, alias.find('@'));
    for (const FamilyName& entry : kFamilies) {
      if (entry.family != AmiFamily::kCustom && EqualsIgnoringCase(entry.name, family)) {
        return entry.family;
      }
    }
    break;
  }
  // Validation requires amiFamily or an alias; upstream falls back to Custom all the same.
  return AmiFamily::kCustom;
}

AmiFeatures AmiFeaturesOf(AmiFamily family) {
  if (family == AmiFamily::kBottlerocket) return kBottlerocketAmiFeatures;
  if (IsWindows(family)) return kWindowsAmiFeatures;
  return kDefaultAmiFeatures;
}

std::string_view EphemeralBlockDevice(AmiFamily family) {
  if (family == AmiFamily::kBottlerocket) return "/dev/xvdb";
  if (IsWindows(family)) return "/dev/sda1";
  if (family == AmiFamily::kCustom) return "";
  return "/dev/xvda";
}

core::Quantity RootVolumeSize(AmiFamily family,
                              const std::vector<api::BlockDeviceMapping>& mappings) {
  if (!mappings.empty()) {
    // As upstream, only the first root-volume mapping is looked at.
    auto root = std::find_if(mappings.begin(), mappings.end(),
                             [](const api::BlockDeviceMapping& m) { return m.root_volume; });
    if (root != mappings.end() && VolumeSize(*root) != nullptr) return *VolumeSize(*root);
    if (family == AmiFamily::kCustom) {
      const core::Quantity* last = VolumeSize(mappings.back());
      return last != nullptr ? *last : DefaultVolumeSize();
    }
    std::string_view device = EphemeralBlockDevice(family);
    auto ephemeral = std::find_if(mappings.begin(), mappings.end(), [&](const auto& m) {
      return m.device_name && *m.device_name == device;
    });
    if (ephemeral != mappings.end() && VolumeSize(*ephemeral) != nullptr) {
      return *VolumeSize(*ephemeral);
    }
  }
  // The family's own default mapping for its ephemeral device.
  if (IsWindows(family)) return core::Quantity::FromInt(50 * kGi, core::Format::kBinarySI);
  return DefaultVolumeSize();
}

Result<NodeSettings> NodeSettingsFromNodeClass(const api::EC2NodeClass& node_class) {
  const AmiFamily family = ResolveAmiFamily(node_class);
  NodeSettings settings;
  settings.ami = AmiFeaturesOf(family);
  settings.root_volume_size = RootVolumeSize(family, node_class.spec.block_device_mappings);
  settings.instance_store_raid0 = node_class.spec.instance_store_policy == "RAID0";
  if (!node_class.spec.kubelet) return settings;

  const api::KubeletConfiguration& kubelet = *node_class.spec.kubelet;
  settings.kubelet.max_pods = kubelet.max_pods;
  settings.kubelet.pods_per_core = kubelet.pods_per_core;
  settings.kubelet.kube_reserved = kubelet.kube_reserved;
  settings.kubelet.system_reserved = kubelet.system_reserved;
  auto hard = ThresholdTexts(kubelet.eviction_hard, "evictionHard", node_class.metadata.name);
  if (!hard) return std::unexpected(hard.error());
  settings.kubelet.eviction_hard = std::move(*hard);
  // Soft thresholds never reduce allocatable; they are carried for the node's kubelet.
  auto soft = ThresholdTexts(kubelet.eviction_soft, "evictionSoft", node_class.metadata.name);
  if (!soft) return std::unexpected(soft.error());
  settings.kubelet.eviction_soft = std::move(*soft);
  return settings;
}

}  // namespace karpenter::catalog
