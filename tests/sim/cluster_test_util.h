// Builders for the tests of the cluster stand-ins (kubelet, binder): a manual clock, an
// in-memory cluster, a one-type simulated cloud, Ready nodes and pods written in C++.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/pod.h"
#include "catalog/catalog.h"
#include "catalog/labels.h"
#include "cloud/simulated_cloud.h"
#include "core/clock.h"
#include "core/quantity.h"
#include "kube/memory_cluster.h"

namespace karpenter::sim::testing {

inline constexpr int64_t kStartSeconds = 1704067200;  // 2024-01-01T00:00:00Z

inline core::Time At(int64_t seconds_after_start) {
  return core::Time{std::chrono::seconds(kStartSeconds + seconds_after_start)};
}

inline core::ResourceList Resources(int64_t cpu, int64_t pods) {
  return {{"cpu", core::Quantity::FromInt(cpu)},
          {"memory", core::Quantity::FromInt(int64_t{8} << 30, core::Format::kBinarySI)},
          {"pods", core::Quantity::FromInt(pods)}};
}

// One instance type "m.large": 4 cpu, 8Gi, 10 pods, on-demand in zone-a.
inline std::shared_ptr<const catalog::Catalog> OneTypeCatalog() {
  core::Requirements requirements;
  requirements.Add(
      core::Requirement::In(std::string(catalog::kLabelInstanceType), {"m.large"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelArch), {"amd64"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelOs), {"linux"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelZone), {"zone-a"}));
  requirements.Add(
      core::Requirement::In(std::string(catalog::kLabelCapacityType), {"on-demand"}));
  catalog::InstanceType type = catalog::InstanceType::WithRequirements(
      "m.large", Resources(4, 10), {}, requirements,
      {{"zone-a", catalog::CapacityType::kOnDemand, 0.1, catalog::PriceSource::kCustom, true}});
  auto created = catalog::Catalog::Create({std::move(type)});
  EXPECT_TRUE(created.has_value());
  return std::make_shared<const catalog::Catalog>(created ? std::move(*created)
                                                          : catalog::Catalog());
}

// A NodeClaim of NodePool "default" on EC2NodeClass "default".
inline api::NodeClaim Claim(std::string name) {
  api::NodeClaim claim;
  claim.metadata.name = std::move(name);
  claim.metadata.labels["karpenter.sh/nodepool"] = "default";
  claim.spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
  return claim;
}

// A node with Ready=`ready`, `cpu` allocatable cores and room for `pods` pods.
inline api::Node ReadyNode(std::string name, int64_t cpu = 4, int64_t pods = 10,
                           std::string ready = "True") {
  api::Node node;
  node.metadata.name = std::move(name);
  node.metadata.labels["kubernetes.io/hostname"] = node.metadata.name;
  node.status.capacity = Resources(cpu, pods);
  node.status.allocatable = Resources(cpu, pods);
  node.status.conditions.push_back({"Ready", std::move(ready), "", "", std::nullopt,
                                    std::nullopt});
  return node;
}

// A pending pod in namespace "default" requesting `cpu` cores.
inline api::Pod PendingPod(std::string name, int64_t cpu = 1) {
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = std::move(name);
  api::Container container;
  container.name = "main";
  container.resources.requests.Set("cpu", core::Quantity::FromInt(cpu));
  pod.spec.containers.push_back(std::move(container));
  return pod;
}

inline const api::PodCondition* FindPodCondition(const api::Pod& pod, std::string_view type) {
  for (const api::PodCondition& condition : pod.status.conditions) {
    if (condition.type == type) return &condition;
  }
  return nullptr;
}

inline const api::NodeCondition* FindNodeCondition(const api::Node& node, std::string_view type) {
  for (const api::NodeCondition& condition : node.status.conditions) {
    if (condition.type == type) return &condition;
  }
  return nullptr;
}

}  // namespace karpenter::sim::testing
