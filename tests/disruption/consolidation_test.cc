#include "disruption/consolidation.h"

#include <gtest/gtest.h>

#include "catalog/labels.h"
#include "disruption/pass.h"
#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using api::DisruptionReason;
using testing::At;
using testing::MakeNodePool;
using testing::Seconds;

// An instance type with `cpu` CPUs, offered in zone-a and zone-b at `on_demand` and `spot`
// (per zone, in that order) USD per hour.
catalog::InstanceType Type(const std::string& name, int cpu, double on_demand,
                           std::vector<double> spot) {
  core::ResourceList capacity = {{"cpu", core::Quantity::FromInt(cpu)},
                                 {"memory", core::Quantity::FromInt(int64_t{cpu * 4} << 30)},
                                 {"pods", core::Quantity::FromInt(20)}};
  std::vector<catalog::Offering> offerings;
  const std::vector<std::string> zones = {"zone-a", "zone-b"};
  for (size_t i = 0; i < zones.size(); ++i) {
    offerings.push_back({zones[i], catalog::CapacityType::kOnDemand, on_demand,
                         catalog::PriceSource::kCustom, true});
    offerings.push_back(
        {zones[i], catalog::CapacityType::kSpot, spot[i], catalog::PriceSource::kCustom, true});
  }
  core::Requirements requirements;
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelInstanceType), {name}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelArch), {"amd64"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelOs), {"linux"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelZone), zones));
  requirements.Add(
      core::Requirement::In(std::string(catalog::kLabelCapacityType), {"spot", "on-demand"}));
  return catalog::InstanceType::WithRequirements(name, capacity, {}, requirements, offerings);
}

class ConsolidationTest : public ::testing::Test {
 protected:
  ConsolidationTest() {
    snapshot_.now = At("2024-05-27T12:00:00Z");
    snapshot_.node_pools = {MakeNodePool("p")};
  }

  void SetCatalog(std::vector<catalog::InstanceType> types) {
    snapshot_.catalog = std::make_shared<const catalog::Catalog>(
        catalog::Catalog::Create(std::move(types)).value());
  }

  // The default catalog: small (2 CPU), medium (4), large (8), spot at 0.4x on-demand.
  void DefaultCatalog() {
    SetCatalog({Type("small", 2, 0.10, {0.04, 0.04}), Type("medium", 4, 0.20, {0.08, 0.08}),
                Type("large", 8, 0.40, {0.16, 0.16})});
  }

  // A node of `type` in zone-a with `capacity_type`, running `pods` pods of 1 CPU each.
  SnapshotNode& AddNode(const std::string& name, const std::string& type, int pods,
                        const std::string& capacity_type = "on-demand",
                        const std::string& pool = "p") {
    SnapshotNode node = testing::ManagedNode(name, pool, Seconds("2024-05-27T11:00:00Z"));
    core::Labels labels = node.node->metadata.labels;
    labels["node.kubernetes.io/instance-type"] = type;
    labels["topology.kubernetes.io/zone"] = "zone-a";
    labels["karpenter.sh/capacity-type"] = capacity_type;
    testing::Edit(node.node).metadata.labels = labels;
    testing::Edit(node.node_claim).metadata.labels = labels;
    for (int i = 0; i < pods; ++i) {
      api::Pod pod =
          testing::RunningPod("default", name + "-pod-" + std::to_string(i), name, {{"app", name}});
      api::Container container;
      container.name = "main";
      container.resources.requests.Set("cpu", core::Quantity::FromInt(1));
      pod.spec.containers.push_back(container);
      node.pods.push_back(testing::Share(std::move(pod)));
    }
    snapshot_.nodes.push_back(std::move(node));
    return snapshot_.nodes.back();
  }

  void FindAll() {
    CandidateSet set = FindCandidates(snapshot_);
    candidates_ = std::move(set.candidates);
    blocked_ = std::move(set.blocked);
    view_ = BuildSchedulingView(snapshot_);
  }

  ConsolidationDecision MultiNode(ConsolidationOptions options = {}) {
    FindAll();
    return ComputeMultiNodeConsolidation(
        snapshot_, view_, candidates_,
        BuildBudgetMapping(snapshot_, DisruptionReason::kUnderutilized), options);
  }

  ConsolidationDecision SingleNode(ConsolidationOptions options = {}) {
    FindAll();
    return ComputeSingleNodeConsolidation(
        snapshot_, view_, candidates_,
        BuildBudgetMapping(snapshot_, DisruptionReason::kUnderutilized), options);
  }

  Snapshot snapshot_;
  std::vector<Candidate> candidates_;
  std::vector<BlockedNode> blocked_;
  SchedulingView view_;
};

TEST_F(ConsolidationTest, ThreeOnePodNodesOfTheMostExpensiveTypeMergeIntoOne) {
  DefaultCatalog();
  snapshot_.node_pools = {MakeNodePool("p",
                                       "    consolidateAfter: 0s\n    budgets:\n"
                                       "      - nodes: \"100%\"\n")};
  AddNode("n-0", "large", 1);
  AddNode("n-1", "large", 1);
  AddNode("n-2", "large", 1);
  ConsolidationDecision decision = MultiNode();
  ASSERT_TRUE(decision.command.has_value());
  Command expected{Method::kMultiNodeConsolidation,
                   "Underutilized",
                   {"n-0", "n-1", "n-2"},
                   {Replacement{"p", "medium", {"medium", "large"}, "spot", 0.08}},
                   1.2 - 0.08};
  EXPECT_EQ(decision.command->candidates, expected.candidates);
  EXPECT_EQ(decision.command->replacements, expected.replacements);
  ASSERT_TRUE(decision.command->savings_per_hour.has_value());
  EXPECT_DOUBLE_EQ(*decision.command->savings_per_hour, 1.2 - 0.08);
  EXPECT_TRUE(decision.blocked.empty());
}

TEST_F(ConsolidationTest, MultiNodeTakesTheLargestPrefixWithinTheBudget) {
  DefaultCatalog();
  // The default budget (10%) of 3 nodes rounds up to 1: multi-node needs two.
  AddNode("n-0", "large", 1);
  AddNode("n-1", "large", 1);
  AddNode("n-2", "large", 1);
  ConsolidationDecision decision = MultiNode();
  EXPECT_FALSE(decision.command.has_value());
  ASSERT_EQ(decision.blocked.size(), 2u);
  EXPECT_EQ(decision.blocked[0].node, "n-1");
}

TEST_F(ConsolidationTest, DeletesWhenThePodsFitElsewhere) {
  DefaultCatalog();
  AddNode("a", "large", 1);
  AddNode("b", "large", 1);
  ConsolidationDecision decision = SingleNode();
  ASSERT_TRUE(decision.command.has_value());
  EXPECT_EQ(decision.command->method, Method::kSingleNodeConsolidation);
  EXPECT_EQ(decision.command->candidates, (std::vector<std::string>{"a"}));
  EXPECT_TRUE(decision.command->replacements.empty());
  EXPECT_DOUBLE_EQ(decision.command->savings_per_hour.value_or(-1), 0.40);
}

TEST_F(ConsolidationTest, PdbBlockingMovesTheChoiceToAnotherNode) {
  DefaultCatalog();
  AddNode("a", "large", 1);
  AddNode("b", "large", 1);
  snapshot_.pdbs.push_back(testing::PdbYaml(R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: a-pdb, namespace: default}
spec:
  maxUnavailable: 0
  selector: {matchLabels: {app: a}}
)"));
  ConsolidationDecision decision = SingleNode();
  ASSERT_TRUE(decision.command.has_value());
  EXPECT_EQ(decision.command->candidates, (std::vector<std::string>{"b"}));
  ASSERT_EQ(blocked_.size(), 1u);
  EXPECT_EQ(blocked_[0].node, "a");
}

TEST_F(ConsolidationTest, ReplacementWhoseWorstSpotPriceIsNotCheaperIsRefused) {
  // "cheap" launches spot for 0.05 in zone-a, but its zone-b spot offering costs 0.25: the
  // worst launch price (spot, as spot is allowed) is not below the node's 0.20.
  SetCatalog({Type("cheap", 2, 0.10, {0.05, 0.25}), Type("big", 16, 0.20, {0.30, 0.30})});
  AddNode("n", "big", 1);
  ConsolidationDecision decision = SingleNode();
  EXPECT_FALSE(decision.command.has_value());
  ASSERT_EQ(decision.blocked.size(), 1u);
  EXPECT_EQ(decision.blocked[0], (BlockedNode{"n", "replacement not cheaper than $0.2000/h"}));
}

TEST_F(ConsolidationTest, SingleNodeMemoRecordsFailuresAndSkipsWhatFailedBefore) {
  SetCatalog({Type("cheap", 2, 0.10, {0.05, 0.25}), Type("big", 16, 0.20, {0.30, 0.30})});
  AddNode("n", "big", 1);
  SingleNodeMemo memo;
  ConsolidationOptions options;
  options.single_node_memo = &memo;
  ConsolidationDecision first = SingleNode(options);
  EXPECT_FALSE(first.command.has_value());
  EXPECT_EQ(memo.failed, (std::map<std::string, std::string, std::less<>>{
                             {"n", "replacement not cheaper than $0.2000/h"}}));
  // Run again on the same input: the memo's reason is reported without simulating, which a
  // made-up reason shows.
  memo.failed["n"] = "remembered";
  ConsolidationDecision second = SingleNode(options);
  EXPECT_FALSE(second.command.has_value());
  ASSERT_EQ(second.blocked.size(), 1u);
  EXPECT_EQ(second.blocked[0], (BlockedNode{"n", "remembered"}));
}

TEST_F(ConsolidationTest, SingleNodeMemoKeepsNoSuccess) {
  DefaultCatalog();
  AddNode("n", "large", 1);
  SingleNodeMemo memo;
  ConsolidationOptions options;
  options.single_node_memo = &memo;
  ConsolidationDecision decision = SingleNode(options);
  ASSERT_TRUE(decision.command.has_value());
  EXPECT_TRUE(memo.failed.empty());
}

TEST_F(ConsolidationTest, OnDemandNodeIsReplacedBySpot) {
  DefaultCatalog();
  AddNode("n", "large", 1);
  ConsolidationDecision decision = SingleNode();
  ASSERT_TRUE(decision.command.has_value());
  ASSERT_EQ(decision.command->replacements.size(), 1u);
  EXPECT_EQ(decision.command->replacements[0],
            (Replacement{"p", "small", {"small", "medium", "large"}, "spot", 0.04}));
  EXPECT_DOUBLE_EQ(decision.command->savings_per_hour.value_or(-1), 0.36);
}

TEST_F(ConsolidationTest, SpotToSpotIsOffByDefault) {
  DefaultCatalog();
  AddNode("n", "large", 1, "spot");
  ConsolidationDecision decision = SingleNode();
  EXPECT_FALSE(decision.command.has_value());
  ASSERT_EQ(decision.blocked.size(), 1u);
  EXPECT_EQ(decision.blocked[0].reason,
            "replacing spot with spot needs the SpotToSpotConsolidation feature");
  // With the feature, two cheaper types are not enough for one node.
  decision = SingleNode({.spot_to_spot = true});
  EXPECT_FALSE(decision.command.has_value());
  ASSERT_EQ(decision.blocked.size(), 1u);
  EXPECT_EQ(decision.blocked[0].reason,
            "spot-to-spot replacement needs 15 cheaper instance types, found 2");
}

TEST_F(ConsolidationTest, SpotToSpotTruncatesToFifteenOptions) {
  std::vector<catalog::InstanceType> types;
  std::vector<std::string> expected;
  for (int i = 0; i <= 16; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "t%02d", i);
    const double spot = 0.01 * (i + 1);
    types.push_back(Type(name, 2, 1.0, {spot, spot}));
    if (i < 15) expected.push_back(name);
  }
  SetCatalog(std::move(types));
  AddNode("n", "t16", 1, "spot");
  ConsolidationDecision decision = SingleNode({.spot_to_spot = true});
  ASSERT_TRUE(decision.command.has_value());
  ASSERT_EQ(decision.command->replacements.size(), 1u);
  EXPECT_EQ(decision.command->replacements[0].instance_type_options, expected);
  EXPECT_EQ(decision.command->replacements[0].instance_type, "t00");
  EXPECT_EQ(decision.command->replacements[0].capacity_type, "spot");
}

TEST_F(ConsolidationTest, WhenEmptyPolicyAndExhaustedBudgetBlock) {
  DefaultCatalog();
  snapshot_.node_pools = {
      MakeNodePool("p", "    consolidateAfter: 0s\n    consolidationPolicy: WhenEmpty\n"),
      MakeNodePool("q", "    consolidateAfter: 0s\n    budgets:\n      - nodes: \"0\"\n")};
  AddNode("a", "large", 1);
  AddNode("b", "large", 1, "on-demand", "q");
  ConsolidationDecision decision = SingleNode();
  EXPECT_FALSE(decision.command.has_value());
  ASSERT_EQ(decision.blocked.size(), 2u);
  EXPECT_EQ(decision.blocked[0],
            (BlockedNode{"a", "NodePool \"p\" has consolidationPolicy WhenEmpty"}));
  EXPECT_EQ(decision.blocked[1].node, "b");
  EXPECT_EQ(
      decision.blocked[1].reason.rfind("budget for reason Underutilized in NodePool \"q\"", 0), 0u)
      << decision.blocked[1].reason;
}

TEST_F(ConsolidationTest, BalancedNeedsSavingsToOutweighDisruption) {
  // The NodePool costs 0.79/h and its pods disrupt 5. Replacing "n" (1 pod) by "medium" spot
  // saves 0.05/h: 6% of the price against 20% of the disruption, refused. Deleting "full"
  // (4 pods, which fit on "n") saves 0.39/h: 49% against 80%, allowed (≥ 40%).
  snapshot_.node_pools = {
      MakeNodePool("p", "    consolidateAfter: 0s\n    consolidationPolicy: Balanced\n")};
  SetCatalog({Type("medium", 4, 0.39, {0.35, 0.35}), Type("large", 8, 0.40, {0.39, 0.39})});
  AddNode("n", "large", 1);
  AddNode("full", "medium", 4);
  ConsolidationDecision decision = SingleNode();
  ASSERT_TRUE(decision.command.has_value());
  EXPECT_EQ(decision.command->candidates, (std::vector<std::string>{"full"}));
  EXPECT_TRUE(decision.command->replacements.empty());
  ASSERT_EQ(decision.blocked.size(), 1u);
  EXPECT_EQ(decision.blocked[0],
            (BlockedNode{"n",
                         "consolidationPolicy Balanced: savings fraction 0.0633 is below half "
                         "the disruption fraction 0.2"}));
}

TEST_F(ConsolidationTest, PassDeletesEmptyNodesFirstAndListsBlockedNodes) {
  DefaultCatalog();
  snapshot_.node_pools = {MakeNodePool("p",
                                       "    consolidateAfter: 0s\n    budgets:\n"
                                       "      - nodes: \"100%\"\n")};
  AddNode("empty", "large", 0);
  AddNode("under", "large", 1);
  testing::Edit(AddNode("dnd", "large", 1).pods[0])
      .metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  PassResult pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0], (Command{Method::kEmptiness, "Empty", {"empty"}, {}, 0.40}));
  ASSERT_EQ(pass.blocked.size(), 1u);
  EXPECT_EQ(pass.blocked[0].node, "dnd");
  EXPECT_EQ(pass.blocked[0].reason.rfind("pod default/dnd-pod-0", 0), 0u) << pass.blocked[0].reason;

  // Without the empty node, single-node consolidation moves "under"'s pod onto "dnd".
  snapshot_.nodes.erase(snapshot_.nodes.begin());
  pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0].method, Method::kSingleNodeConsolidation);
  EXPECT_EQ(pass.commands[0].candidates, (std::vector<std::string>{"under"}));
  EXPECT_DOUBLE_EQ(pass.commands[0].savings_per_hour.value_or(-1), 0.40);
}

TEST_F(ConsolidationTest, PassReplacesADriftedNodeWithOneThatFitsItsPods) {
  DefaultCatalog();
  SnapshotNode& node = AddNode("old", "gone", 1);  // the catalog no longer has "gone"
  testing::Edit(node.node).status.allocatable = {{"cpu", core::Quantity::FromInt(2)},
                                                 {"pods", core::Quantity::FromInt(20)}};
  PassResult pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0],
            (Command{Method::kDrift,
                     "Drifted",
                     {"old"},
                     {Replacement{"p", "small", {"small", "medium", "large"}, "spot", 0.04}},
                     std::nullopt}));
  EXPECT_TRUE(pass.blocked.empty());
}

TEST_F(ConsolidationTest, DriftReplacementNeedsEveryPodToFit) {
  // No instance type has 16 CPUs: the drifted node's pod cannot move.
  DefaultCatalog();
  SnapshotNode& node = AddNode("old", "gone", 1);
  testing::Edit(node.node).status.allocatable = {{"cpu", core::Quantity::FromInt(32)},
                                                 {"pods", core::Quantity::FromInt(20)}};
  testing::Edit(node.pods[0])
      .spec.containers[0]
      .resources.requests.Set("cpu", core::Quantity::FromInt(16));
  PassResult pass = RunDisruptionPass(snapshot_);
  EXPECT_TRUE(pass.commands.empty());
  ASSERT_EQ(pass.blocked.size(), 1u);
  EXPECT_EQ(
      pass.blocked[0].reason.rfind("drifted, but pod default/old-pod-0 cannot be rescheduled", 0),
      0u)
      << pass.blocked[0].reason;
}

}  // namespace
}  // namespace karpenter::disruption
