// A virtual cluster for the provisioner and NodeClaim lifecycle tests: an in-memory cluster, a
// simulated cloud on a tiny catalog, a manual clock, and a manager driven in virtual time.
// Tests stand in for the kubelet (they create Node objects by hand) and for the termination
// controller (they remove the Node's finalizer).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "catalog/catalog.h"
#include "catalog/labels.h"
#include "cloud/simulated_cloud.h"
#include "controllers/lifecycle_keys.h"
#include "controllers/manager.h"
#include "controllers/node_claim_lifecycle.h"
#include "controllers/provisioner.h"
#include "core/clock.h"
#include "core/quantity.h"
#include "kube/memory_cluster.h"

namespace karpenter::controllers::test_util {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

inline const core::Time kStart = core::Time(seconds(1'704'067'200));

inline catalog::Offering Offer(std::string zone, catalog::CapacityType type, double price) {
  return {std::move(zone), type, price, catalog::PriceSource::kCustom, true};
}

// `cpu` cores, 4 GiB per core, 1 core of overhead (allocatable cpu = cpu - 1), spot and
// on-demand in zone-a and zone-b.
inline catalog::InstanceType MakeType(const std::string& name, int cpu, double on_demand) {
  std::vector<catalog::Offering> offerings;
  for (const char* zone : {"zone-a", "zone-b"}) {
    offerings.push_back(Offer(zone, catalog::CapacityType::kSpot, on_demand * 0.4));
    offerings.push_back(Offer(zone, catalog::CapacityType::kOnDemand, on_demand));
  }
  core::ResourceList capacity = {
      {"cpu", core::Quantity::FromInt(cpu)},
      {"memory", core::Quantity::FromInt(int64_t{cpu * 4} << 30, core::Format::kBinarySI)},
      {"pods", core::Quantity::FromInt(110)}};
  catalog::Overhead overhead;
  overhead.kube_reserved = {{"cpu", core::Quantity::FromInt(1)}};
  core::Requirements requirements;
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelInstanceType), {name}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelArch), {"amd64"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelOs), {"linux"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelZone), {"zone-a", "zone-b"}));
  requirements.Add(
      core::Requirement::In(std::string(catalog::kLabelCapacityType), {"on-demand", "spot"}));
  return catalog::InstanceType::WithRequirements(name, capacity, overhead, requirements,
                                                 std::move(offerings));
}

// small (2 cpu, $0.10), medium (4, $0.20), large (8, $0.40), xlarge (16, $0.80).
inline std::shared_ptr<const catalog::Catalog> TinyCatalog() {
  auto catalog =
      catalog::Catalog::Create({MakeType("small", 2, 0.10), MakeType("medium", 4, 0.20),
                                MakeType("large", 8, 0.40), MakeType("xlarge", 16, 0.80)});
  EXPECT_TRUE(catalog.has_value());
  return std::make_shared<const catalog::Catalog>(std::move(*catalog));
}

// For NodeClass "fpga": one type, "f1" (8 cpu, $2.00), with one example.com/fpga.
inline std::shared_ptr<const catalog::Catalog> FpgaCatalog() {
  catalog::InstanceType base = MakeType("f1", 8, 2.0);
  core::ResourceList capacity = base.capacity();
  capacity.Set("example.com/fpga", core::Quantity::FromInt(1));
  auto catalog = catalog::Catalog::Create({catalog::InstanceType::WithRequirements(
      "f1", capacity, base.overhead(), base.Requirements(), base.offerings())});
  EXPECT_TRUE(catalog.has_value());
  return std::make_shared<const catalog::Catalog>(std::move(*catalog));
}

// A pod in "default" with one container requesting `cpu_milli` millicores.
inline api::Pod MakePod(const std::string& name, int64_t cpu_milli = 1000) {
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = name;
  api::Container container;
  container.name = "c";
  container.resources.requests.Set("cpu", core::Quantity::FromMilli(cpu_milli));
  pod.spec.containers.push_back(std::move(container));
  // As kube-scheduler leaves a pod it found no node for (several of these tests run no
  // scheduler); the provisioner acts only on such pods.
  pod.status.conditions.push_back(
      {"PodScheduled", "False", "Unschedulable", "0/0 nodes are available", std::nullopt});
  return pod;
}

// NodePool "default": label team=a, capacity types `capacity_types`, nodeClassRef
// EC2NodeClass/default.
inline api::NodePool MakeNodePool(std::vector<std::string> capacity_types = {"on-demand"}) {
  api::NodePool pool;
  pool.metadata.name = "default";
  pool.spec.template_.metadata.labels["team"] = "a";
  pool.spec.template_.spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
  pool.spec.template_.spec.requirements.push_back({std::string(catalog::kLabelCapacityType),
                                                   core::Operator::In, std::move(capacity_types),
                                                   std::nullopt});
  return pool;
}

// A NodeClaim as the provisioner writes one, for lifecycle tests that need no provisioner.
inline api::NodeClaim MakeNodeClaim(const std::string& name, const std::string& type = "large") {
  api::NodeClaim claim;
  claim.metadata.name = name;
  claim.metadata.labels[std::string(kNodePoolLabel)] = "default";
  claim.metadata.finalizers.emplace_back(kTerminationFinalizer);
  claim.spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
  claim.spec.requirements = {
      {std::string(catalog::kLabelInstanceType), core::Operator::In, {type}, std::nullopt},
      {std::string(catalog::kLabelCapacityType), core::Operator::In, {"on-demand"}, std::nullopt}};
  claim.spec.resource_requests.Set("cpu", core::Quantity::FromInt(1));
  return claim;
}

// The Node a kubelet registers for `provider_id`: the unregistered taint, Ready as given.
inline api::Node MakeNode(const std::string& name, const std::string& provider_id,
                          bool ready = false) {
  api::Node node;
  node.metadata.name = name;
  node.spec.provider_id = provider_id;
  node.spec.taints.push_back(UnregisteredTaint());
  node.status.conditions.push_back({"Ready", ready ? "True" : "False", "", "", {}, {}});
  node.status.allocatable = {{"cpu", core::Quantity::FromInt(7)}};
  node.status.capacity = {{"cpu", core::Quantity::FromInt(8)}};
  return node;
}

class ControllerFixture : public ::testing::Test {
 protected:
  ControllerFixture()
      : cluster_(clock_), cloud_(clock_, TinyCatalog(), {{"fpga", FpgaCatalog()}}) {}

  // A fresh manager with the provisioner (unless `with_provisioner` is false) and the
  // lifecycle controller, over the same cluster and cloud (what a restart looks like).
  void StartControllers(bool with_provisioner = true) {
    provisioner_ = nullptr;
    lifecycle_ = nullptr;
    manager_.reset();  // the old controllers stop watching first
    manager_ = std::make_unique<Manager>(clock_);
    if (with_provisioner) {
      ProvisionerOptions options;
      options.unavailable_offerings = &cloud_.unavailable_offerings();
      provisioner_ = Provisioner::Register(*manager_, cluster_, cloud_, clock_, options);
    }
    lifecycle_ = NodeClaimLifecycle::Register(*manager_, cluster_, cloud_, clock_);
  }

  // Delivers events and runs due reconciles, jumping the clock from due time to due time,
  // up to `until` (the clock ends there).
  void RunUntil(core::Time until) {
    for (int guard = 0; guard < 100'000; ++guard) {
      cluster_.Deliver();
      manager_->RunDue();
      if (cluster_.PendingEvents() > 0) continue;
      auto next = manager_->NextDue();
      if (!next || *next > until) break;
      clock_.AdvanceTo(*next);
    }
    clock_.AdvanceTo(until);
  }
  void RunFor(core::Duration duration) { RunUntil(clock_.Now() + duration); }

  std::vector<kube::ObjectPtr<api::NodeClaim>> Claims() { return cluster_.NodeClaims().List(); }
  kube::ObjectPtr<api::NodeClaim> Claim(const std::string& name) {
    auto got = cluster_.NodeClaims().Get({"", name});
    return got ? *got : nullptr;
  }
  kube::ObjectPtr<api::Node> NodeNamed(const std::string& name) {
    auto got = cluster_.Nodes().Get({"", name});
    return got ? *got : nullptr;
  }
  void CreatePods(int count, const std::string& prefix = "p", int64_t cpu_milli = 1000) {
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(cluster_.Pods().Create(MakePod(prefix + std::to_string(i), cpu_milli)));
    }
  }

  core::ManualClock clock_{kStart};
  kube::MemoryCluster cluster_;
  cloud::SimulatedCloud cloud_;
  std::unique_ptr<Manager> manager_;
  Provisioner* provisioner_ = nullptr;
  NodeClaimLifecycle* lifecycle_ = nullptr;
};

inline std::string Label(const api::ObjectMeta& metadata, std::string_view key) {
  auto it = metadata.labels.find(std::string(key));
  return it == metadata.labels.end() ? "" : it->second;
}

inline std::string ConditionStatus(const api::NodeClaim& claim, std::string_view type) {
  const api::Condition* condition = api::FindCondition(claim.status.conditions, type);
  return condition == nullptr ? "" : condition->status;
}

}  // namespace karpenter::controllers::test_util
