// The well-known labels of an EC2 instance type, derived from its DescribeInstanceTypes facts
// with upstream's AWS provider rules (computeRequirements in pkg/providers/instancetype).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/aws_instance_type_info.h"
#include "catalog/instance_type.h"

namespace karpenter::catalog {

// The Kubernetes architecture: the first of the type's architectures that Kubernetes knows
// (x86_64 -> amd64, arm64 -> arm64). Otherwise, as upstream, the list as Go prints it
// ("[arm64_mac]"), which no pod asks for.
std::string KubeArchitecture(const AwsInstanceTypeInfo& info);

// Whether upstream lists the type at all: it asks EC2 only for types supporting hvm
// virtualization and an x86_64 or arm64 architecture (so Mac instances are left out).
bool IsSupportedByKarpenter(const AwsInstanceTypeInfo& info);

// Baseline network bandwidth in megabits per second: the sum of the network cards' baseline
// (Gbit/s x 1000, rounded). Unknown (nullopt) when EC2 describes the performance only vaguely
// ("Low", "Moderate", "High", ...), the types upstream's bandwidth table also leaves out.
// Upstream takes its numbers from the EC2 documentation's tables, which agree with these but
// for a handful of rounding differences.
std::optional<int64_t> NetworkBandwidthMbps(const AwsInstanceTypeInfo& info);

// The type's single-valued well-known labels in `region` for a Linux node: instance type,
// arch, os (linux), region, and the karpenter.k8s.aws/instance-* family. Labels the type does
// not have are left out (they mean DoesNotExist); zone and capacity type come from offerings.
//  - category, generation, family, size: ParseInstanceTypeName;
//  - cpu, memory (MiB), hypervisor ("" for bare metal, as upstream), cpu-manufacturer and
//    gpu/accelerator names in lower kebab case, encryption-in-transit-supported;
//  - cpu-sustained-clock-speed-mhz: GHz x 1000 rounded (0 when EC2 gives no clock, as upstream);
//  - local-nvme: instance-store GB when the storage is NVMe; ebs-bandwidth: the maximum EBS
//    bandwidth when EBS optimisation is on by default; network-bandwidth: see above;
//  - gpu-*: only for types with exactly one kind of GPU;
//  - accelerator-*: one kind of Neuron device (manufacturer "aws"), or else one kind of
//    inference accelerator when the type has no Neuron devices.
std::vector<TypeLabel> AwsTypeLabels(const AwsInstanceTypeInfo& info, std::string_view region);

}  // namespace karpenter::catalog
