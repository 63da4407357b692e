// Rounds, launches and the plan document, on the small custom catalog of sim_test_util.h.
#include "sim/simulation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "sim/plan_json.h"
#include "sim_test_util.h"

namespace karpenter::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kNodePoolAndCatalog;
using testing::PodYaml;
using testing::SnapshotOf;

const std::string kRound2 = "  annotations: {sim.karpenter-cpp.io/round: \"2\"}\n";

std::vector<std::string> Names(const std::vector<const api::Pod*>& pods) {
  std::vector<std::string> names;
  for (const api::Pod* pod : pods) names.push_back(pod->metadata.name);
  return names;
}

TEST(Simulate, EachRoundsNodeClaimsAreCapacityForTheNext) {
  Snapshot snapshot =
      SnapshotOf(std::string(kNodePoolAndCatalog) + PodYaml("first", "1") +
                 PodYaml("second", "1", kRound2));
  Plan plan = Simulate(snapshot);
  ASSERT_EQ(plan.node_claims.size(), 1u);
  const LaunchedNodeClaim& claim = plan.node_claims[0];
  EXPECT_TRUE(std::regex_match(claim.name, std::regex("default-[bcdfghjklmnpqrstvwxz2456789]{5}")))
      << claim.name;
  EXPECT_EQ(claim.node_pool, "default");
  EXPECT_EQ(claim.round, 1);
  EXPECT_EQ(claim.instance_type->name(), "small");
  EXPECT_EQ(claim.offering->zone, "zone-a");
  EXPECT_EQ(claim.offering->capacity_type, catalog::CapacityType::kSpot);
  EXPECT_THAT(Names(claim.pods), ElementsAre("first"));
  EXPECT_EQ(claim.labels.at("kubernetes.io/hostname"), claim.name);
  EXPECT_EQ(claim.labels.at("topology.kubernetes.io/zone"), "zone-a");
  EXPECT_EQ(claim.labels.at("karpenter.sh/capacity-type"), "spot");
  EXPECT_EQ(claim.labels.at("node.kubernetes.io/instance-type"), "small");
  EXPECT_EQ(claim.labels.at("karpenter.sh/nodepool"), "default");
  EXPECT_EQ(claim.labels.at("kubernetes.io/arch"), "amd64");
  // Round 2's pod fits beside the first one on the in-flight NodeClaim.
  ASSERT_EQ(plan.existing_nodes.size(), 1u);
  EXPECT_EQ(plan.existing_nodes[0].node_name, claim.name);
  EXPECT_THAT(Names(plan.existing_nodes[0].pods), ElementsAre("second"));
  EXPECT_THAT(plan.unschedulable, IsEmpty());
  EXPECT_DOUBLE_EQ(plan.cost_per_hour, 0.03);
  // Bound: 1 cpu of small at 0.03 per 2 cpu.
  ASSERT_TRUE(plan.lower_bound.feasible);
  EXPECT_NEAR(plan.lower_bound.cost_per_hour, 0.015, 1e-9);
  // Same input, same plan (names included).
  Snapshot again_snapshot =
      SnapshotOf(std::string(kNodePoolAndCatalog) + PodYaml("first", "1") +
                 PodYaml("second", "1", kRound2));
  EXPECT_EQ(Simulate(again_snapshot).node_claims.at(0).name, claim.name);
}

TEST(Simulate, NodePoolLimitsCountEarlierRoundsLaunches) {
  std::string yaml(kNodePoolAndCatalog);
  yaml.replace(yaml.find("  template:"), 0, "  limits: {cpu: \"2\"}\n");
  Snapshot snapshot = SnapshotOf(yaml + PodYaml("first", "2") + PodYaml("second", "1", kRound2));
  Plan plan = Simulate(snapshot);
  ASSERT_EQ(plan.node_claims.size(), 1u);
  EXPECT_EQ(plan.node_claims[0].instance_type->name(), "small");
  ASSERT_EQ(plan.unschedulable.size(), 1u);
  EXPECT_EQ(plan.unschedulable[0].pod->metadata.name, "second");
  EXPECT_EQ(plan.unschedulable[0].round, 2);
  EXPECT_FALSE(plan.unschedulable[0].reason.empty());
}

TEST(Simulate, ExistingNodesAreUsedFirst) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + R"(---
apiVersion: v1
kind: Node
metadata: {name: node-1}
status:
  allocatable: {cpu: "4", memory: 8Gi, pods: "20"}
)" + PodYaml("p", "1"));
  Plan plan = Simulate(snapshot);
  EXPECT_THAT(plan.node_claims, IsEmpty());
  ASSERT_EQ(plan.existing_nodes.size(), 1u);
  EXPECT_EQ(plan.existing_nodes[0].node_name, "node-1");
  EXPECT_EQ(plan.cost_per_hour, 0);
  EXPECT_TRUE(plan.lower_bound.feasible);
  EXPECT_EQ(plan.lower_bound.cost_per_hour, 0);
}

TEST(Simulate, APodNothingFitsIsUnschedulableWithAReason) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + PodYaml("huge", "100"));
  Plan plan = Simulate(snapshot);
  EXPECT_THAT(plan.node_claims, IsEmpty());
  ASSERT_EQ(plan.unschedulable.size(), 1u);
  EXPECT_EQ(plan.unschedulable[0].pod->metadata.name, "huge");
  EXPECT_EQ(plan.unschedulable[0].round, 1);
  EXPECT_FALSE(plan.unschedulable[0].reason.empty());
}

TEST(PlanToJson, HasTheContractsShape) {
  Snapshot snapshot =
      SnapshotOf(std::string(kNodePoolAndCatalog) + PodYaml("first", "1") +
                 PodYaml("second", "1", kRound2) + PodYaml("huge", "100"));
  const Plan plan = Simulate(snapshot);
  const api::Json json = PlanToJson(plan);
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_THAT(keys, ElementsAre("nodeClaims", "existingNodes", "unschedulable", "costPerHour",
                                "lowerBoundPerHour"));
  ASSERT_EQ(json["nodeClaims"].size(), 1u);
  const api::Json& claim = json["nodeClaims"][0];
  keys.clear();
  for (const auto& [key, value] : claim.items()) keys.push_back(key);
  EXPECT_THAT(keys, ElementsAre("name", "nodePool", "round", "instanceType", "zone",
                                "capacityType", "pricePerHour", "priceSource",
                                "instanceTypeOptions", "pods", "requests"));
  EXPECT_EQ(claim["name"], plan.node_claims[0].name);
  EXPECT_EQ(claim["round"], 1);
  EXPECT_EQ(claim["instanceType"], "small");
  EXPECT_EQ(claim["zone"], "zone-a");
  EXPECT_EQ(claim["capacityType"], "spot");
  EXPECT_EQ(claim["pricePerHour"], 0.03);
  EXPECT_EQ(claim["priceSource"], "custom");
  EXPECT_EQ(claim["instanceTypeOptions"][0], "small");
  EXPECT_EQ(claim["pods"], api::Json::parse(R"(["default/first"])"));
  EXPECT_EQ(claim["requests"]["cpu"], "1");
  EXPECT_EQ(claim["requests"]["pods"], "1");
  EXPECT_EQ(json["existingNodes"],
            api::Json::parse(R"([{"name": ")" + plan.node_claims[0].name +
                             R"(", "pods": ["default/second"]}])"));
  ASSERT_EQ(json["unschedulable"].size(), 1u);
  EXPECT_EQ(json["unschedulable"][0]["pod"], "default/huge");
  EXPECT_TRUE(json["unschedulable"][0]["reason"].is_string());
  EXPECT_EQ(json["costPerHour"], 0.03);
  EXPECT_NEAR(json["lowerBoundPerHour"].get<double>(), 0.015, 1e-9);
}

}  // namespace
}  // namespace karpenter::sim
