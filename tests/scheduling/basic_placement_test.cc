#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scheduling/scheduler.h"
#include "scheduling_test_util.h"

namespace karpenter::scheduling {
namespace {

using test_util::MakePod;
using test_util::MakePool;
using test_util::Names;
using test_util::Scenario;
using test_util::TypeNames;
using ::testing::ElementsAre;

TEST(SchedulePlacement, PacksPodsOntoOneClaimWithCheapestTypesFirst) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("a", "1"));
  s.AddPod(MakePod("b", "500m"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  const NewNodeClaim& claim = result.new_node_claims[0];
  EXPECT_EQ(claim.node_pool, "default");
  EXPECT_THAT(Names(claim.pods), ElementsAre("a", "b"));
  EXPECT_THAT(TypeNames(claim), ElementsAre("small", "medium", "large"));
  EXPECT_EQ(claim.requests.Get("cpu"), core::Quantity::FromMilli(1500));
  EXPECT_EQ(claim.requests.Get("pods"), core::Quantity::FromInt(2));
  EXPECT_FALSE(claim.requirements.Has("kubernetes.io/hostname"));
  EXPECT_TRUE(result.unschedulable.empty());
  Launch launch = ChooseLaunch(claim);
  ASSERT_NE(launch.instance_type, nullptr);
  EXPECT_EQ(launch.instance_type->name(), "small");
  EXPECT_EQ(launch.offering->capacity_type, catalog::CapacityType::kSpot);
  EXPECT_EQ(launch.offering->zone, "zone-a");
}

TEST(SchedulePlacement, LargestPodsFirstAndNewClaimWhenFull) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("small-1", "1"));
  s.AddPod(MakePod("big-1", "7"));
  s.AddPod(MakePod("big-2", "7"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 2u);
  // big-1 opens claim 0; big-2 does not fit there and opens claim 1; small-1 goes to the claim
  // with the fewest pods, which after a stable sort is claim 0.
  EXPECT_THAT(Names(result.new_node_claims[0].pods), ElementsAre("big-1", "small-1"));
  EXPECT_THAT(Names(result.new_node_claims[1].pods), ElementsAre("big-2"));
  EXPECT_THAT(TypeNames(result.new_node_claims[1]), ElementsAre("large"));
}

TEST(SchedulePlacement, TooLargePodIsUnschedulableWithResourceReason) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("huge", "9"));
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.new_node_claims.empty());
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason,
            "nodepool \"default\": no instance type has enough resources (cpu 9 > largest "
            "allocatable 8)");
}

TEST(SchedulePlacement, NoNodePools) {
  Scenario s;
  s.AddPod(MakePod("a", "1"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason, "no NodePool is ready");
}

TEST(SchedulePlacement, NodePoolsByWeightThenName) {
  Scenario s;
  s.AddPool(MakePool("b-pool"));
  s.AddPool(MakePool("a-pool"));
  s.AddPool(MakePool("light", "", "  weight: 5\n"));
  s.AddPod(MakePod("p", "1"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_EQ(result.new_node_claims[0].node_pool, "light");

  Scenario t;
  t.AddPool(MakePool("b-pool"));
  t.AddPool(MakePool("a-pool"));
  t.AddPod(MakePod("p", "1"));
  EXPECT_EQ(t.Run().new_node_claims[0].node_pool, "a-pool");
}

TEST(SchedulePlacement, ExistingNodeFirstThenNewClaim) {
  Scenario s;
  s.AddPool(MakePool("default"));
  ExistingNode node;
  node.name = "node-1";
  node.labels = {{"kubernetes.io/hostname", "node-1"}, {"topology.kubernetes.io/zone", "zone-b"}};
  node.allocatable = {{"cpu", core::Quantity::FromInt(2)},
                      {"memory", core::Quantity::FromInt(int64_t{4} << 30)},
                      {"pods", core::Quantity::FromInt(10)}};
  node.pods.push_back(s.Bound(MakePod("running", "1")));
  s.input.existing_nodes.push_back(node);
  s.AddPod(MakePod("fits", "1"));
  s.AddPod(MakePod("spills", "1"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.existing_node_placements.size(), 1u);
  EXPECT_EQ(result.existing_node_placements[0].node_name, "node-1");
  EXPECT_THAT(Names(result.existing_node_placements[0].pods), ElementsAre("fits"));
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(Names(result.new_node_claims[0].pods), ElementsAre("spills"));
}

TEST(SchedulePlacement, ExistingNodesInitializedFirstThenByName) {
  Scenario s;
  auto node = [](std::string name, bool initialized) {
    ExistingNode n;
    n.name = name;
    n.labels = {{"kubernetes.io/hostname", name}};
    n.allocatable = {{"cpu", core::Quantity::FromInt(4)},
                     {"memory", core::Quantity::FromInt(int64_t{8} << 30)},
                     {"pods", core::Quantity::FromInt(10)}};
    n.initialized = initialized;
    return n;
  };
  s.input.existing_nodes = {node("a-uninit", false), node("c", true), node("b", true)};
  s.AddPod(MakePod("p", "1"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.existing_node_placements.size(), 1u);
  EXPECT_EQ(result.existing_node_placements[0].node_name, "b");
}

TEST(SchedulePlacement, QueueOrderCpuThenMemoryThenCreationThenUid) {
  Scenario s;
  s.AddPool(MakePool("default"));
  api::Pod older = MakePod("older", "1", "1Gi");
  older.metadata.creation_timestamp = 100;
  api::Pod newer = MakePod("newer", "1", "1Gi");
  newer.metadata.creation_timestamp = 200;
  s.AddPod(newer);
  s.AddPod(MakePod("more-memory", "1", "2Gi"));
  s.AddPod(older);
  s.AddPod(MakePod("more-cpu", "2", "1Gi"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(Names(result.new_node_claims[0].pods),
              ElementsAre("more-cpu", "more-memory", "older", "newer"));
}

}  // namespace
}  // namespace karpenter::scheduling
