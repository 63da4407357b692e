// What an EC2NodeClass changes about the capacity of the instance types launched with it: the
// kubelet settings, the volume ephemeral storage lives on, the instance-store policy and the
// AMI family, turned into NodeSettings the way upstream's AWS provider reads them
// (EC2NodeClass.AMIFamily, amifamily.GetAMIFamily, instancetype.ephemeralStorage).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/overhead.h"
#include "core/quantity.h"
#include "core/result.h"

namespace karpenter::api {
struct BlockDeviceMapping;
struct EC2NodeClass;
}  // namespace karpenter::api

namespace karpenter::catalog {

// The AMI families upstream distinguishes. Anything it does not know behaves as AL2.
enum class AmiFamily {
  kAL2,
  kAL2023,
  kBottlerocket,
  kWindows2019,
  kWindows2022,
  kWindows2025,
  kCustom
};

// The family `name` names as spec.amiFamily spells it ("AL2023", "Bottlerocket", ...); an
// unknown name is AL2, as upstream's GetAMIFamily.
AmiFamily ParseAmiFamily(std::string_view name);

// The node class's family, in upstream's order of precedence: spec.amiFamily; else the family
// of the first amiSelectorTerms alias ("bottlerocket@latest" -> Bottlerocket, matched without
// regard to case); else Custom.
AmiFamily ResolveAmiFamily(const api::EC2NodeClass& node_class);

// The family's capacity rules: Bottlerocket and Windows have their own, the others the default.
AmiFeatures AmiFeaturesOf(AmiFamily family);

// The device the family keeps pods' ephemeral storage on: /dev/xvda (AL2, AL2023), /dev/xvdb
// (Bottlerocket's data volume), /dev/sda1 (Windows); "" for Custom (unknowable).
std::string_view EphemeralBlockDevice(AmiFamily family);

// The size of the volume ephemeral storage lives on, as upstream decides it when the
// instance store is not used:
//  1. the first mapping with rootVolume: true, when it gives a volume size;
//  2. for Custom, the last mapping's size (20Gi when it has none): the AMI is unknown;
//     for the other families, the first mapping for EphemeralBlockDevice, when it gives a size;
//  3. the family's default volume for that device: 50Gi for Windows, 20Gi otherwise.
core::Quantity RootVolumeSize(AmiFamily family,
                              const std::vector<api::BlockDeviceMapping>& mappings);

// The NodeSettings of instance types launched with `node_class`: spec.kubelet's maxPods,
// podsPerCore, kubeReserved, systemReserved, evictionHard and evictionSoft; RootVolumeSize;
// instanceStorePolicy RAID0; AmiFeaturesOf(ResolveAmiFamily). The operator's options
// (reserved_enis, vm_memory_overhead_percent) keep their defaults: they are not the node
// class's to set. Fails, naming the node class and the field, on an eviction threshold that is
// neither a quantity nor a percentage.
Result<NodeSettings> NodeSettingsFromNodeClass(const api::EC2NodeClass& node_class);

}  // namespace karpenter::catalog
