// sim.karpenter-cpp.io/v1alpha1 InstanceType: this project's format for custom instance-type
// catalogs (simulations, tests, clusters on other clouds). A contract: field names and meaning
// do not change within v1alpha1.
//
//   apiVersion: sim.karpenter-cpp.io/v1alpha1
//   kind: InstanceType
//   metadata: {name: default-instance-type}
//   spec:
//     capacity: {cpu: "4", memory: 4Gi, pods: "5"}
//     overhead: {kubeReserved: {cpu: 100m}, systemReserved: {...}, evictionThreshold: {...}}
//     requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
//     offerings: [{zone: test-zone-1, capacityType: spot, price: 0.8295}]
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "api/model/object_meta.h"
#include "core/requirement.h"
#include "core/resource_list.h"

namespace karpenter::api {

inline constexpr std::string_view kInstanceTypeApiVersion = "sim.karpenter-cpp.io/v1alpha1";

// What the node itself keeps of its capacity: allocatable = capacity - the three together.
struct InstanceTypeOverhead {
  core::ResourceList kube_reserved;
  core::ResourceList system_reserved;
  core::ResourceList eviction_threshold;

  friend bool operator==(const InstanceTypeOverhead&, const InstanceTypeOverhead&) = default;
};

// Where and how the type can be bought, and at what hourly price.
struct InstanceTypeOffering {
  std::string zone;           // topology.kubernetes.io/zone
  std::string capacity_type;  // "spot", "on-demand" or "reserved"
  double price = 0;           // per hour
  bool available = true;

  friend bool operator==(const InstanceTypeOffering&, const InstanceTypeOffering&) = default;
};

struct InstanceTypeSpec {
  core::ResourceList capacity;  // cpu, memory, pods, ephemeral-storage, any extended resource
  InstanceTypeOverhead overhead;
  // The node labels the type offers (arch, os, instance family, ...).
  std::vector<core::NodeSelectorRequirement> requirements;
  std::vector<InstanceTypeOffering> offerings;

  friend bool operator==(const InstanceTypeSpec&, const InstanceTypeSpec&) = default;
};

// The instance type's name is metadata.name (node.kubernetes.io/instance-type).
struct InstanceType {
  ObjectMeta metadata;
  InstanceTypeSpec spec;
  // The document this was decoded from; encoding writes over it so unknown fields survive.
  Json raw;
};

}  // namespace karpenter::api
