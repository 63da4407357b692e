#include "catalog/aws_instance_type_info.h"

#include <string>
#include <utility>

#include "catalog/internal/tsv.h"

namespace karpenter::catalog {
namespace {

using internal::ParseBool;
using internal::ParseDouble;
using internal::ParseInt;
using internal::SplitInto;

enum Column {
  kName,
  kVcpus,
  kMemoryMib,
  kArchitectures,
  kVirtualization,
  kUsageClasses,
  kHypervisor,
  kCpuManufacturer,
  kClockGhz,
  kMaxEnis,
  kIpv4PerEni,
  kEncryptionInTransit,
  kEfaMax,
  kNetworkPerformance,
  kBaselineGbps,
  kEbsOptimized,
  kEbsMaxMbps,
  kStorageNvme,
  kStorageGb,
  kGpus,
  kAccelerators,
  kNeuron,
  kColumnCount,
};

std::vector<std::string> SplitList(std::string_view field) {
  std::vector<std::string> items;
  if (field.empty()) return items;
  std::vector<std::string_view> parts;
  SplitInto(field, ',', parts);
  for (std::string_view part : parts) items.emplace_back(part);
  return items;
}

Result<std::optional<int64_t>> ParseOptionalInt(std::string_view field, std::string_view what) {
  if (field.empty()) return std::optional<int64_t>();
  auto value = ParseInt(field, what);
  if (!value) return std::unexpected(value.error());
  return std::optional<int64_t>(*value);
}

// "Manufacturer:Name:Count:MemoryMiB,..." (see tools/gen_aws_catalog.py).
Result<std::vector<AwsGpu>> ParseGpus(std::string_view field) {
  std::vector<AwsGpu> gpus;
  if (field.empty()) return gpus;
  std::vector<std::string_view> entries, parts;
  SplitInto(field, ',', entries);
  for (std::string_view entry : entries) {
    SplitInto(entry, ':', parts);
    if (parts.size() != 4) return Fail("gpus: malformed entry \"" + std::string(entry) + "\"");
    auto count = ParseInt(parts[2], "gpus count");
    auto memory = ParseInt(parts[3], "gpus memory");
    if (!count) return std::unexpected(count.error());
    if (!memory) return std::unexpected(memory.error());
    gpus.push_back({std::string(parts[0]), std::string(parts[1]), *count, *memory});
  }
  return gpus;
}

// "Manufacturer:Name:Count,...".
Result<std::vector<AwsInferenceAccelerator>> ParseAccelerators(std::string_view field) {
  std::vector<AwsInferenceAccelerator> accelerators;
  if (field.empty()) return accelerators;
  std::vector<std::string_view> entries, parts;
  SplitInto(field, ',', entries);
  for (std::string_view entry : entries) {
    SplitInto(entry, ':', parts);
    if (parts.size() != 3) {
      return Fail("accelerators: malformed entry \"" + std::string(entry) + "\"");
    }
    auto count = ParseInt(parts[2], "accelerators count");
    if (!count) return std::unexpected(count.error());
    accelerators.push_back({std::string(parts[0]), std::string(parts[1]), *count});
  }
  return accelerators;
}

// "Name:Count:CoresPerDevice,...".
Result<std::vector<AwsNeuronDevice>> ParseNeuronDevices(std::string_view field) {
  std::vector<AwsNeuronDevice> devices;
  if (field.empty()) return devices;
  std::vector<std::string_view> entries, parts;
  SplitInto(field, ',', entries);
  for (std::string_view entry : entries) {
    SplitInto(entry, ':', parts);
    if (parts.size() != 3) return Fail("neuron: malformed entry \"" + std::string(entry) + "\"");
    auto count = ParseInt(parts[1], "neuron count");
    auto cores = ParseInt(parts[2], "neuron cores");
    if (!count) return std::unexpected(count.error());
    if (!cores) return std::unexpected(cores.error());
    devices.push_back({std::string(parts[0]), *count, *cores});
  }
  return devices;
}

Result<std::vector<double>> ParseDoubles(std::string_view field, std::string_view what) {
  std::vector<double> values;
  if (field.empty()) return values;
  std::vector<std::string_view> parts;
  SplitInto(field, ',', parts);
  for (std::string_view part : parts) {
    auto value = ParseDouble(part, what);
    if (!value) return std::unexpected(value.error());
    values.push_back(*value);
  }
  return values;
}

// The numeric and boolean columns; the caller has filled the text ones.
Result<void> ParseScalars(const std::vector<std::string_view>& f, AwsInstanceTypeInfo& info) {
  auto vcpus = ParseInt(f[kVcpus], "vcpus");
  auto memory = ParseInt(f[kMemoryMib], "memory_mib");
  auto enis = ParseInt(f[kMaxEnis], "max_enis");
  auto ipv4 = ParseInt(f[kIpv4PerEni], "ipv4_per_eni");
  auto efa = ParseInt(f[kEfaMax], "efa_max");
  auto encryption = ParseBool(f[kEncryptionInTransit], "encryption_in_transit");
  auto ebs = ParseOptionalInt(f[kEbsMaxMbps], "ebs_max_mbps");
  auto storage = ParseOptionalInt(f[kStorageGb], "storage_gb");
  auto baseline = ParseDoubles(f[kBaselineGbps], "baseline_gbps");
  for (const Error* error :
       {vcpus ? nullptr : &vcpus.error(), memory ? nullptr : &memory.error(),
        enis ? nullptr : &enis.error(), ipv4 ? nullptr : &ipv4.error(),
        efa ? nullptr : &efa.error(), encryption ? nullptr : &encryption.error(),
        ebs ? nullptr : &ebs.error(), storage ? nullptr : &storage.error(),
        baseline ? nullptr : &baseline.error()}) {
    if (error != nullptr) return std::unexpected(*error);
  }
  info.vcpus = *vcpus;
  info.memory_mib = *memory;
  info.max_enis = *enis;
  info.ipv4_per_eni = *ipv4;
  info.efa_max_interfaces = *efa;
  info.encryption_in_transit = *encryption;
  info.ebs_max_bandwidth_mbps = *ebs;
  info.instance_storage_gb = *storage;
  info.baseline_bandwidth_gbps = std::move(*baseline);
  if (!f[kClockGhz].empty()) {
    auto clock = ParseDouble(f[kClockGhz], "clock_ghz");
    if (!clock) return std::unexpected(clock.error());
    info.sustained_clock_ghz = *clock;
  }
  return {};
}

}  // namespace

Result<AwsInstanceTypeInfo> ParseAwsInstanceTypeRow(std::string_view line) {
  std::vector<std::string_view> f;
  SplitInto(line, '\t', f);
  if (f.size() != kColumnCount) {
    return Fail("expected " + std::to_string(kColumnCount) + " tab-separated columns, got " +
                std::to_string(f.size()));
  }
  AwsInstanceTypeInfo info;
  info.name = std::string(f[kName]);
  info.architectures = SplitList(f[kArchitectures]);
  info.virtualization = SplitList(f[kVirtualization]);
  info.usage_classes = SplitList(f[kUsageClasses]);
  info.hypervisor = std::string(f[kHypervisor]);
  info.cpu_manufacturer = std::string(f[kCpuManufacturer]);
  info.network_performance = std::string(f[kNetworkPerformance]);
  info.ebs_optimized_support = std::string(f[kEbsOptimized]);
  info.instance_storage_nvme = std::string(f[kStorageNvme]);
  if (auto scalars = ParseScalars(f, info); !scalars) return std::unexpected(scalars.error());
  auto gpus = ParseGpus(f[kGpus]);
  if (!gpus) return std::unexpected(gpus.error());
  info.gpus = std::move(*gpus);
  auto accelerators = ParseAccelerators(f[kAccelerators]);
  if (!accelerators) return std::unexpected(accelerators.error());
  info.accelerators = std::move(*accelerators);
  auto neuron = ParseNeuronDevices(f[kNeuron]);
  if (!neuron) return std::unexpected(neuron.error());
  info.neuron_devices = std::move(*neuron);
  return info;
}

Result<std::vector<AwsInstanceTypeInfo>> ParseAwsInstanceTypes(
    std::string_view tsv, const std::function<bool(std::string_view name)>& only) {
  std::vector<AwsInstanceTypeInfo> infos;
  internal::LineReader reader(tsv);
  std::string_view line;
  while (reader.Next(line)) {
    if (line.starts_with("name\t")) continue;  // the column header
    if (only && !only(line.substr(0, line.find('\t')))) continue;
    auto info = ParseAwsInstanceTypeRow(line);
    if (!info) {
      return Fail("instance-types line " + std::to_string(reader.line_number()) + ": " +
                  info.error().message);
    }
    infos.push_back(std::move(*info));
  }
  return infos;
}

}  // namespace karpenter::catalog
