// The facts about one EC2 instance type that the catalog needs, as EC2's DescribeInstanceTypes
// reports them (one row of data/aws/instance-types.tsv), and the parser of that file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace karpenter::catalog {

struct AwsGpu {
  std::string manufacturer;  // "NVIDIA", "AMD", "Habana"
  std::string name;          // "A100"
  int64_t count = 0;
  int64_t memory_mib = 0;

  friend bool operator==(const AwsGpu&, const AwsGpu&) = default;
};

struct AwsInferenceAccelerator {
  std::string manufacturer;
  std::string name;
  int64_t count = 0;

  friend bool operator==(const AwsInferenceAccelerator&, const AwsInferenceAccelerator&) = default;
};

struct AwsNeuronDevice {
  std::string name;  // "Inferentia2", "Trainium"
  int64_t count = 0;
  int64_t cores_per_device = 0;

  friend bool operator==(const AwsNeuronDevice&, const AwsNeuronDevice&) = default;
};

// Field names follow DescribeInstanceTypes (InstanceTypeInfo); see tools/gen_aws_catalog.py.
struct AwsInstanceTypeInfo {
  std::string name;
  int64_t vcpus = 0;                        // VCpuInfo.DefaultVCpus
  int64_t memory_mib = 0;                   // MemoryInfo.SizeInMiB
  std::vector<std::string> architectures;   // "x86_64", "arm64", "i386", "arm64_mac", in order
  std::vector<std::string> virtualization;  // "hvm", "paravirtual"
  std::vector<std::string> usage_classes;   // "on-demand", "spot", "capacity-block"
  std::string hypervisor;                   // "nitro", "xen", "" (bare metal)
  std::string cpu_manufacturer;             // "Intel", "AMD", "AWS", "Apple"
  std::optional<double> sustained_clock_ghz;
  int64_t max_enis = 0;      // of the default network card
  int64_t ipv4_per_eni = 0;  // NetworkInfo.Ipv4AddressesPerInterface
  bool encryption_in_transit = false;
  int64_t efa_max_interfaces = 0;
  std::string network_performance;              // "Up to 10 Gigabit", "Moderate", ...
  std::vector<double> baseline_bandwidth_gbps;  // per network card
  std::string ebs_optimized_support;            // "default", "supported", "unsupported"
  std::optional<int64_t> ebs_max_bandwidth_mbps;
  std::string instance_storage_nvme;  // "required", "supported", "unsupported"; "" = no storage
  std::optional<int64_t> instance_storage_gb;
  std::vector<AwsGpu> gpus;
  std::vector<AwsInferenceAccelerator> accelerators;
  std::vector<AwsNeuronDevice> neuron_devices;

  friend bool operator==(const AwsInstanceTypeInfo&, const AwsInstanceTypeInfo&) = default;
};

// Parses one data row of instance-types.tsv (22 tab-separated columns). The error names the
// column and the offending text.
Result<AwsInstanceTypeInfo> ParseAwsInstanceTypeRow(std::string_view line);

// Parses a whole instance-types.tsv: '#' comment lines and the column header line are skipped.
// Errors carry the line number. When `only` is given, rows whose name (first column) it rejects
// are skipped without being parsed.
Result<std::vector<AwsInstanceTypeInfo>> ParseAwsInstanceTypes(
    std::string_view tsv, const std::function<bool(std::string_view name)>& only = {});

}  // namespace karpenter::catalog
