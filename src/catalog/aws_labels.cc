#include "catalog/aws_labels.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "catalog/labels.h"

namespace karpenter::catalog {
namespace {

bool Contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

class LabelSink {
 public:
  // Room for every label up front, trimmed at the end: one growth step instead of five, and
  // the catalog keeps no spare capacity for ~5,000 types.
  LabelSink() { labels_.reserve(kLabelKeyCount); }
  void Add(LabelKey key, std::string value) { labels_.push_back({key, std::move(value)}); }
  void Add(LabelKey key, int64_t value) { Add(key, std::to_string(value)); }
  std::vector<TypeLabel> Take() {
    labels_.shrink_to_fit();
    return std::move(labels_);
  }

 private:
  std::vector<TypeLabel> labels_;
};

void AddNameLabels(const AwsInstanceTypeInfo& info, LabelSink& sink) {
  InstanceTypeNameParts parts = ParseInstanceTypeName(info.name);
  if (parts.category) sink.Add(LabelKey::kInstanceCategory, std::move(*parts.category));
  if (parts.generation) sink.Add(LabelKey::kInstanceGeneration, std::move(*parts.generation));
  if (parts.family) sink.Add(LabelKey::kInstanceFamily, std::move(*parts.family));
  if (parts.size) sink.Add(LabelKey::kInstanceSize, std::move(*parts.size));
}

void AddHardwareLabels(const AwsInstanceTypeInfo& info, LabelSink& sink) {
  sink.Add(LabelKey::kInstanceCpu, info.vcpus);
  sink.Add(LabelKey::kInstanceCpuManufacturer, LowerKebabCase(info.cpu_manufacturer));
  sink.Add(LabelKey::kInstanceCpuSustainedClockSpeedMhz,
           static_cast<int64_t>(std::round(info.sustained_clock_ghz.value_or(0) * 1000)));
  sink.Add(LabelKey::kInstanceMemory, info.memory_mib);
  sink.Add(LabelKey::kInstanceHypervisor, info.hypervisor);
  sink.Add(LabelKey::kInstanceEncryptionInTransitSupported,
           info.encryption_in_transit ? "true" : "false");
  if (!info.instance_storage_nvme.empty() && info.instance_storage_nvme != "unsupported" &&
      info.instance_storage_gb) {
    sink.Add(LabelKey::kInstanceLocalNvme, *info.instance_storage_gb);
  }
  if (info.ebs_optimized_support == "default" && info.ebs_max_bandwidth_mbps) {
    sink.Add(LabelKey::kInstanceEbsBandwidth, *info.ebs_max_bandwidth_mbps);
  }
  if (std::optional<int64_t> bandwidth = NetworkBandwidthMbps(info)) {
    sink.Add(LabelKey::kInstanceNetworkBandwidth, *bandwidth);
  }
}

void AddAcceleratorLabels(const AwsInstanceTypeInfo& info, LabelSink& sink) {
  if (info.gpus.size() == 1) {
    const AwsGpu& gpu = info.gpus.front();
    sink.Add(LabelKey::kInstanceGpuName, LowerKebabCase(gpu.name));
    sink.Add(LabelKey::kInstanceGpuManufacturer, LowerKebabCase(gpu.manufacturer));
    sink.Add(LabelKey::kInstanceGpuCount, gpu.count);
    sink.Add(LabelKey::kInstanceGpuMemory, gpu.memory_mib);
  }
  if (info.accelerators.size() == 1 && info.neuron_devices.empty()) {
    const AwsInferenceAccelerator& accelerator = info.accelerators.front();
    sink.Add(LabelKey::kInstanceAcceleratorName, LowerKebabCase(accelerator.name));
    sink.Add(LabelKey::kInstanceAcceleratorManufacturer, LowerKebabCase(accelerator.manufacturer));
    sink.Add(LabelKey::kInstanceAcceleratorCount, accelerator.count);
  }
  if (info.neuron_devices.size() == 1) {
    const AwsNeuronDevice& device = info.neuron_devices.front();
    sink.Add(LabelKey::kInstanceAcceleratorName, LowerKebabCase(device.name));
    sink.Add(LabelKey::kInstanceAcceleratorManufacturer, "aws");
    sink.Add(LabelKey::kInstanceAcceleratorCount, device.count);
  }
}

}  // namespace

std::string KubeArchitecture(const AwsInstanceTypeInfo& info) {
  for (const std::string& architecture : info.architectures) {
    if (architecture == "x86_64") return "amd64";
    if (architecture == "arm64") return "arm64";
  }
  std::string printed = "[";
  for (size_t i = 0; i < info.architectures.size(); ++i) {
    if (i > 0) printed += ' ';
    printed += info.architectures[i];
  }
  return printed + "]";
}

bool IsSupportedByKarpenter(const AwsInstanceTypeInfo& info) {
  return Contains(info.virtualization, "hvm") &&
         (Contains(info.architectures, "x86_64") || Contains(info.architectures, "arm64"));
}

std::optional<int64_t> NetworkBandwidthMbps(const AwsInstanceTypeInfo& info) {
  for (std::string_view vague : {"Low", "Moderate", "High"}) {
    if (info.network_performance.find(vague) != std::string::npos) return std::nullopt;
  }
  if (info.baseline_bandwidth_gbps.empty()) return std::nullopt;
  double gbps = 0;
  for (double card : info.baseline_bandwidth_gbps) gbps += card;
  return static_cast<int64_t>(std::round(gbps * 1000));
}

std::vector<TypeLabel> AwsTypeLabels(const AwsInstanceTypeInfo& info, std::string_view region) {
  LabelSink sink;
  sink.Add(LabelKey::kInstanceType, info.name);
  sink.Add(LabelKey::kArch, KubeArchitecture(info));
  sink.Add(LabelKey::kOs, "linux");
  sink.Add(LabelKey::kRegion, std::string(region));
  AddNameLabels(info, sink);
  AddHardwareLabels(info, sink);
  AddAcceleratorLabels(info, sink);
  return sink.Take();
}

}  // namespace karpenter::catalog
