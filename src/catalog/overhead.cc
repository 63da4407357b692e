#include "catalog/overhead.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "catalog/labels.h"

namespace karpenter::catalog {
namespace {

constexpr int64_t kMi = int64_t{1} << 20;

core::Quantity Mebibytes(int64_t mib) {
  return core::Quantity::FromInt(mib * kMi, core::Format::kBinarySI);
}

// A whole number computed in floating point, as upstream turns it into a quantity: it formats
// the float64 with fmt.Sprint and parses the text, and Go prints 1e6 and above in exponent
// form ("2.147483648e+09"), which parses as a DecimalExponent quantity. Same value either way;
// the format only changes how the quantity prints.
core::Quantity FromWholeDouble(double value) {
  auto whole = static_cast<int64_t>(value);
  return core::Quantity::FromInt(
      whole, value >= 1e6 ? core::Format::kDecimalExponent : core::Format::kDecimalSI);
}

// Go's strconv.ParseFloat on the threshold with every leading and trailing '%' trimmed.
Result<double> ParsePercentage(std::string_view threshold) {
  std::string_view text = threshold;
  while (!text.empty() && text.front() == '%') text.remove_prefix(1);
  while (!text.empty() && text.back() == '%') text.remove_suffix(1);
  if (text.starts_with('+')) text.remove_prefix(1);  // Go accepts a leading '+'
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Fail("eviction threshold \"" + std::string(threshold) +
                "\": expected a percentage such as \"10%\"");
  }
  return value;
}

int64_t SumGpus(const AwsInstanceTypeInfo& info, std::string_view manufacturer) {
  int64_t count = 0;
  for (const AwsGpu& gpu : info.gpus) {
    if (gpu.manufacturer == manufacturer) count += gpu.count;
  }
  return count;
}

void SetIfPositive(core::ResourceList& list, std::string_view name, int64_t count) {
  if (count > 0) list.Set(name, core::Quantity::FromInt(count));
}

}  // namespace

int64_t EniLimitedPods(const AwsInstanceTypeInfo& info, int reserved_enis) {
  int64_t usable = std::max<int64_t>(info.max_enis - reserved_enis, 0);
  if (usable == 0) return 0;
  return usable * (info.ipv4_per_eni - 1) + 2;
}

int64_t MaxPods(const AwsInstanceTypeInfo& info, const NodeSettings& settings) {
  int64_t count = 110;
  if (settings.kubelet.max_pods) {
    count = *settings.kubelet.max_pods;
  } else if (settings.ami.eni_limited_pod_density) {
    count = EniLimitedPods(info, settings.reserved_enis);
  }
  int64_t pods_per_core = settings.kubelet.pods_per_core.value_or(0);
  if (pods_per_core > 0 && settings.ami.pods_per_core) {
    count = std::min(pods_per_core * info.vcpus, count);
  }
  return count;
}

core::Quantity MemoryCapacity(const AwsInstanceTypeInfo& info, double vm_memory_overhead_percent) {
  int64_t mib = info.memory_mib;
  // Graviton reserves 64 MiB for CMA that the node cannot use. Upstream looks at the first
  // architecture only.
  if (!info.architectures.empty() && info.architectures.front() == "arm64") mib -= 64;
  // The same float64 operations as upstream, in the same order, so rounding agrees.
  auto overhead_mib = static_cast<int64_t>(
      std::ceil(static_cast<double>(mib * kMi) * vm_memory_overhead_percent / 1024 / 1024));
  return Mebibytes(mib) - Mebibytes(overhead_mib);
}

core::Quantity EphemeralStorageCapacity(const AwsInstanceTypeInfo& info,
                                        const NodeSettings& settings) {
  if (settings.instance_store_raid0 && info.instance_storage_gb) {
    return core::Quantity::FromInt(*info.instance_storage_gb * 1'000'000'000);
  }
  return settings.root_volume_size;
}

int64_t KubeReservedCpuMilli(int64_t cpu_milli) {
  struct Range {
    int64_t start;
    int64_t end;
    double fraction;
  };
  static constexpr Range kRanges[] = {
      {0, 1000, 0.06}, {1000, 2000, 0.01}, {2000, 4000, 0.005}, {4000, int64_t{1} << 31, 0.0025}};
  int64_t reserved = 0;
  for (const Range& range : kRanges) {
    if (cpu_milli < range.start) continue;
    int64_t width = cpu_milli < range.end ? cpu_milli - range.start : range.end - range.start;
    reserved += static_cast<int64_t>(static_cast<double>(width) * range.fraction);
  }
  return reserved;
}

core::ResourceList KubeReserved(int64_t vcpus, int64_t pods, const core::ResourceList& overrides) {
  core::ResourceList reserved;
  reserved.Set(core::kCPU, core::Quantity::FromMilli(KubeReservedCpuMilli(vcpus * 1000)));
  reserved.Set(core::kMemory, Mebibytes(11 * pods + 255));
  reserved.Set(core::kEphemeralStorage,
               core::Quantity::FromInt(int64_t{1} << 30, core::Format::kBinarySI));
  for (const auto& [name, quantity] : overrides) reserved.Set(name, quantity);
  return reserved;
}

Result<core::Quantity> EvictionSignalQuantity(const core::Quantity& capacity,
                                              std::string_view threshold) {
  if (!threshold.ends_with('%')) {
    auto quantity = core::Quantity::Parse(threshold);
    if (!quantity) {
      return Fail("eviction threshold \"" + std::string(threshold) +
                  "\": " + quantity.error().message);
    }
    return *quantity;
  }
  auto percentage = ParsePercentage(threshold);
  if (!percentage) return std::unexpected(percentage.error());
  // Kubelet reads 100% as "threshold disabled".
  double p = *percentage == 100 ? 0 : *percentage;
  return FromWholeDouble(std::ceil(static_cast<double>(capacity.Value()) / 100 * p));
}

Result<core::ResourceList> EvictionThreshold(const core::Quantity& memory,
                                             const core::Quantity& storage,
                                             const std::map<std::string, std::string>& hard) {
  core::ResourceList threshold;
  threshold.Set(core::kMemory, Mebibytes(100));
  threshold.Set(core::kEphemeralStorage,
                FromWholeDouble(std::ceil(static_cast<double>(storage.Value()) / 100 * 10)));
  if (auto it = hard.find("memory.available"); it != hard.end()) {
    auto quantity = EvictionSignalQuantity(memory, it->second);
    if (!quantity) return std::unexpected(quantity.error());
    threshold.Set(core::kMemory, *quantity);
  }
  if (auto it = hard.find("nodefs.available"); it != hard.end()) {
    auto quantity = EvictionSignalQuantity(storage, it->second);
    if (!quantity) return std::unexpected(quantity.error());
    threshold.Set(core::kEphemeralStorage, *quantity);
  }
  return threshold;
}

Result<NodeResources> ComputeNodeResources(const AwsInstanceTypeInfo& info,
                                           const NodeSettings& settings) {
  core::Quantity memory = MemoryCapacity(info, settings.vm_memory_overhead_percent);
  core::Quantity storage = EphemeralStorageCapacity(info, settings);
  int64_t pods = MaxPods(info, settings);

  NodeResources resources;
  resources.capacity.Set(core::kCPU, core::Quantity::FromInt(info.vcpus));
  resources.capacity.Set(core::kMemory, memory);
  resources.capacity.Set(core::kEphemeralStorage, storage);
  resources.capacity.Set(core::kPods, core::Quantity::FromInt(pods));
  SetIfPositive(resources.capacity, kResourceNvidiaGpu, SumGpus(info, "NVIDIA"));
  SetIfPositive(resources.capacity, kResourceAmdGpu, SumGpus(info, "AMD"));
  SetIfPositive(resources.capacity, kResourceHabanaGaudi, SumGpus(info, "Habana"));
  int64_t neuron_devices = 0;
  for (const AwsNeuronDevice& device : info.neuron_devices) neuron_devices += device.count;
  SetIfPositive(resources.capacity, kResourceAwsNeuron, neuron_devices);
  if (!info.neuron_devices.empty()) {
    // Upstream counts the cores of the first device kind only.
    const AwsNeuronDevice& first = info.neuron_devices.front();
    SetIfPositive(resources.capacity, kResourceAwsNeuronCore, first.count * first.cores_per_device);
  }
  SetIfPositive(resources.capacity, kResourceEfa, info.efa_max_interfaces);

  // With ENI-limited memory overhead the reservation follows the ENI limit (ignoring
  // RESERVED_ENIS and maxPods), so raising maxPods does not shrink kube-reserved memory.
  int64_t reserved_for_pods =
      settings.ami.eni_limited_memory_overhead ? EniLimitedPods(info, 0) : pods;
  resources.overhead.kube_reserved =
      KubeReserved(info.vcpus, reserved_for_pods, settings.kubelet.kube_reserved);
  resources.overhead.system_reserved = settings.kubelet.system_reserved;
  auto eviction = EvictionThreshold(memory, storage, settings.kubelet.eviction_hard);
  if (!eviction) return std::unexpected(eviction.error());
  resources.overhead.eviction_threshold = std::move(*eviction);
  return resources;
}

}  // namespace karpenter::catalog
