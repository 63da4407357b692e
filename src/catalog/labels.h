// The well-known node labels and resource names an instance type offers, as upstream Karpenter
// and its AWS provider spell them, and the parsing of an EC2 instance-type name into category,
// family, generation and size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace karpenter::catalog {

// Labels Kubernetes itself defines.
inline constexpr std::string_view kLabelInstanceType = "node.kubernetes.io/instance-type";
inline constexpr std::string_view kLabelArch = "kubernetes.io/arch";
inline constexpr std::string_view kLabelOs = "kubernetes.io/os";
inline constexpr std::string_view kLabelZone = "topology.kubernetes.io/zone";
inline constexpr std::string_view kLabelRegion = "topology.kubernetes.io/region";
inline constexpr std::string_view kLabelWindowsBuild = "node.kubernetes.io/windows-build";
// Karpenter's.
inline constexpr std::string_view kLabelCapacityType = "karpenter.sh/capacity-type";
// The AWS provider's (group karpenter.k8s.aws).
inline constexpr std::string_view kLabelInstanceCategory = "karpenter.k8s.aws/instance-category";
inline constexpr std::string_view kLabelInstanceFamily = "karpenter.k8s.aws/instance-family";
inline constexpr std::string_view kLabelInstanceGeneration =
    "karpenter.k8s.aws/instance-generation";
inline constexpr std::string_view kLabelInstanceSize = "karpenter.k8s.aws/instance-size";
inline constexpr std::string_view kLabelInstanceCpu = "karpenter.k8s.aws/instance-cpu";
inline constexpr std::string_view kLabelInstanceCpuManufacturer =
    "karpenter.k8s.aws/instance-cpu-manufacturer";
inline constexpr std::string_view kLabelInstanceCpuSustainedClockSpeedMhz =
    "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz";
inline constexpr std::string_view kLabelInstanceMemory = "karpenter.k8s.aws/instance-memory";
inline constexpr std::string_view kLabelInstanceHypervisor =
    "karpenter.k8s.aws/instance-hypervisor";
inline constexpr std::string_view kLabelInstanceEncryptionInTransitSupported =
    "karpenter.k8s.aws/instance-encryption-in-transit-supported";
inline constexpr std::string_view kLabelInstanceLocalNvme = "karpenter.k8s.aws/instance-local-nvme";
inline constexpr std::string_view kLabelInstanceEbsBandwidth =
    "karpenter.k8s.aws/instance-ebs-bandwidth";
inline constexpr std::string_view kLabelInstanceNetworkBandwidth =
    "karpenter.k8s.aws/instance-network-bandwidth";
inline constexpr std::string_view kLabelInstanceGpuName = "karpenter.k8s.aws/instance-gpu-name";
inline constexpr std::string_view kLabelInstanceGpuManufacturer =
    "karpenter.k8s.aws/instance-gpu-manufacturer";
inline constexpr std::string_view kLabelInstanceGpuCount = "karpenter.k8s.aws/instance-gpu-count";
inline constexpr std::string_view kLabelInstanceGpuMemory = "karpenter.k8s.aws/instance-gpu-memory";
inline constexpr std::string_view kLabelInstanceAcceleratorName =
    "karpenter.k8s.aws/instance-accelerator-name";
inline constexpr std::string_view kLabelInstanceAcceleratorManufacturer =
    "karpenter.k8s.aws/instance-accelerator-manufacturer";
inline constexpr std::string_view kLabelInstanceAcceleratorCount =
    "karpenter.k8s.aws/instance-accelerator-count";

// Extended resources the AWS provider reports in an instance type's capacity.
inline constexpr std::string_view kResourceNvidiaGpu = "nvidia.com/gpu";
inline constexpr std::string_view kResourceAmdGpu = "amd.com/gpu";
inline constexpr std::string_view kResourceAwsNeuron = "aws.amazon.com/neuron";
inline constexpr std::string_view kResourceAwsNeuronCore = "aws.amazon.com/neuroncore";
inline constexpr std::string_view kResourceHabanaGaudi = "habana.ai/gaudi";
inline constexpr std::string_view kResourceEfa = "vpc.amazonaws.com/efa";

// The single-valued labels a catalog instance type stores compactly (see InstanceType). Zone and
// capacity type are not here: they follow from the type's offerings.
enum class LabelKey : uint8_t {
  kInstanceType,
  kArch,
  kOs,
  kRegion,
  kWindowsBuild,
  kInstanceCategory,
  kInstanceFamily,
  kInstanceGeneration,
  kInstanceSize,
  kInstanceCpu,
  kInstanceCpuManufacturer,
  kInstanceCpuSustainedClockSpeedMhz,
  kInstanceMemory,
  kInstanceHypervisor,
  kInstanceEncryptionInTransitSupported,
  kInstanceLocalNvme,
  kInstanceEbsBandwidth,
  kInstanceNetworkBandwidth,
  kInstanceGpuName,
  kInstanceGpuManufacturer,
  kInstanceGpuCount,
  kInstanceGpuMemory,
  kInstanceAcceleratorName,
  kInstanceAcceleratorManufacturer,
  kInstanceAcceleratorCount,
};
inline constexpr size_t kLabelKeyCount =
    static_cast<size_t>(LabelKey::kInstanceAcceleratorCount) + 1;

// The label's name, e.g. "karpenter.k8s.aws/instance-family".
std::string_view LabelKeyName(LabelKey key);

// The LabelKey whose name is `name`, or nullopt (zone, capacity type and any other label).
std::optional<LabelKey> FindLabelKey(std::string_view name);

// What an EC2 instance-type name says about the type, parsed as upstream does: category and
// generation come from the leading letters and the digits after them (an optional "-<n>tb" in
// between is skipped, so "u-6tb1.112xlarge" is category u, generation 1), and need a '.' later
// in the name; family and size are the two halves of a name with exactly one '.'. A part the
// name does not give is nullopt ("mac-m4.metal" has a family and size but no category).
struct InstanceTypeNameParts {
  std::optional<std::string> category;
  std::optional<std::string> generation;
  std::optional<std::string> family;
  std::optional<std::string> size;

  friend bool operator==(const InstanceTypeNameParts&, const InstanceTypeNameParts&) = default;
};
InstanceTypeNameParts ParseInstanceTypeName(std::string_view name);

// Upstream's "lower kebab case" for label values from EC2 names: spaces become '-', ASCII
// letters lower case ("Radeon Pro V520" -> "radeon-pro-v520").
std::string LowerKebabCase(std::string_view text);

}  // namespace karpenter::catalog
