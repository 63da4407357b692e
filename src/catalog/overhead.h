// Capacity, overhead and allocatable of an EC2 instance type, computed exactly as upstream's AWS
// provider does (pkg/providers/instancetype): VM memory overhead, ENI-limited pod density,
// kube-reserved CPU and memory, eviction thresholds and ephemeral storage.
//
// The inputs come from the EC2NodeClass (kubelet settings, block device mappings, AMI family)
// and the operator's options; they are plain values here so the api layer can fill them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/aws_instance_type_info.h"
#include "catalog/instance_type.h"
#include "core/quantity.h"
#include "core/resource_list.h"
#include "core/result.h"

namespace karpenter::catalog {

// What the AMI family changes about capacity (upstream's amifamily.FeatureFlags).
struct AmiFeatures {
  // Pods default to the ENI limit; otherwise to 110.
  bool eni_limited_pod_density = true;
  // kubelet podsPerCore is honoured.
  bool pods_per_core = true;
  // kube-reserved memory counts the ENI-limited pod number even when maxPods says otherwise.
  bool eni_limited_memory_overhead = true;

  friend bool operator==(const AmiFeatures&, const AmiFeatures&) = default;
};
// AL2, AL2023 and Custom: upstream's default family.
inline constexpr AmiFeatures kDefaultAmiFeatures{};
inline constexpr AmiFeatures kBottlerocketAmiFeatures{
    .eni_limited_pod_density = true, .pods_per_core = false, .eni_limited_memory_overhead = false};
inline constexpr AmiFeatures kWindowsAmiFeatures{
    .eni_limited_pod_density = false, .pods_per_core = true, .eni_limited_memory_overhead = false};

// The EC2NodeClass's spec.kubelet, as far as capacity is concerned.
struct KubeletSettings {
  std::optional<int32_t> max_pods;
  std::optional<int32_t> pods_per_core;
  // Replace the computed kube-reserved value resource by resource.
  core::ResourceList kube_reserved;
  core::ResourceList system_reserved;
  // Signal -> threshold, a quantity ("500Mi") or a percentage of capacity ("10%"). Only
  // memory.available and nodefs.available affect allocatable.
  std::map<std::string, std::string> eviction_hard;
  // Carried for the node's kubelet configuration; as upstream, soft thresholds do not reduce
  // allocatable (they only warn before the hard ones evict).
  std::map<std::string, std::string> eviction_soft;

  friend bool operator==(const KubeletSettings&, const KubeletSettings&) = default;
};

// Everything besides the instance type itself that decides its capacity and overhead.
struct NodeSettings {
  KubeletSettings kubelet;
  // The size of the volume ephemeral storage lives on: the EC2NodeClass's root volume (or the
  // AMI family's ephemeral block device), upstream's default EBS volume of 20Gi otherwise.
  core::Quantity root_volume_size =
      core::Quantity::FromInt(int64_t{20} << 30, core::Format::kBinarySI);
  // instanceStorePolicy: RAID0 puts ephemeral storage on the instance-store disks (when the
  // type has any).
  bool instance_store_raid0 = false;
  AmiFeatures ami = kDefaultAmiFeatures;
  // Operator options (RESERVED_ENIS, VM_MEMORY_OVERHEAD_PERCENT).
  int reserved_enis = 0;
  double vm_memory_overhead_percent = 0.075;

  friend bool operator==(const NodeSettings&, const NodeSettings&) = default;
};

// ENIs of the default network card (less `reserved_enis`, not below 0) times (IPv4 addresses
// per ENI - 1), plus 2; 0 when no ENI is left. The VPC CNI's max-pods formula.
int64_t EniLimitedPods(const AwsInstanceTypeInfo& info, int reserved_enis);

// kubelet maxPods when set; else the ENI limit (or 110 when the AMI family does not use it);
// then capped at podsPerCore x vCPUs when podsPerCore > 0 and the AMI family honours it.
int64_t MaxPods(const AwsInstanceTypeInfo& info, const NodeSettings& settings);

// MemoryInfo.SizeInMiB (less 64 MiB CMA reservation when the first architecture is arm64),
// less ceil(that x vm_memory_overhead_percent) MiB for the hypervisor. BinarySI.
core::Quantity MemoryCapacity(const AwsInstanceTypeInfo& info, double vm_memory_overhead_percent);

// The instance-store total (decimal GB) under RAID0 when the type has instance storage, else
// the root volume size.
core::Quantity EphemeralStorageCapacity(const AwsInstanceTypeInfo& info,
                                        const NodeSettings& settings);

// kube-reserved CPU in millicores for `cpu_milli` of CPU: 6% of the first core, 1% of the
// second, 0.5% of the third and fourth, 0.25% of the rest (each range truncated to whole
// millicores, as upstream).
int64_t KubeReservedCpuMilli(int64_t cpu_milli);

// kube-reserved: cpu as above, memory 11 MiB x pods + 255 MiB, ephemeral-storage 1Gi; then each
// resource in `overrides` replaces the computed one.
core::ResourceList KubeReserved(int64_t vcpus, int64_t pods, const core::ResourceList& overrides);

// The quantity an eviction threshold stands for: a percentage of `capacity`, rounded up to a
// whole unit ("100%" disables the threshold: 0), or a quantity taken as written.
Result<core::Quantity> EvictionSignalQuantity(const core::Quantity& capacity,
                                              std::string_view threshold);

// 100Mi of memory and 10% of ephemeral storage (rounded up), each replaced by evictionHard's
// memory.available / nodefs.available when set.
Result<core::ResourceList> EvictionThreshold(const core::Quantity& memory,
                                             const core::Quantity& storage,
                                             const std::map<std::string, std::string>& hard);

// An instance type's capacity and overhead.
struct NodeResources {
  // cpu, memory, ephemeral-storage, pods, and the extended resources the type has:
  // nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi, aws.amazon.com/neuron,
  // aws.amazon.com/neuroncore, vpc.amazonaws.com/efa. Upstream lists those with 0 too; a
  // missing resource counts as 0 everywhere (ResourceList::Fits), so they are left out.
  core::ResourceList capacity;
  Overhead overhead;
};

// Capacity and overhead of `info` under `settings`. Fails only on a malformed eviction threshold.
Result<NodeResources> ComputeNodeResources(const AwsInstanceTypeInfo& info,
                                           const NodeSettings& settings);

}  // namespace karpenter::catalog
