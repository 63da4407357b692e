#include "disruption/emptiness.h"

#include <gtest/gtest.h>

#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using api::DisruptionReason;
using testing::At;
using testing::MakeNodePool;
using testing::Seconds;

class EmptinessTest : public ::testing::Test {
 protected:
  EmptinessTest() { snapshot_.now = At("2024-05-27T12:00:00Z"); }

  // `count` empty nodes of `pool` named pool-0, pool-1, ..., last pod event at 11:00.
  void AddEmpty(const std::string& pool, int count) {
    for (int i = 0; i < count; ++i) {
      snapshot_.nodes.push_back(testing::ManagedNode(pool + "-" + std::to_string(i), pool,
                                                     Seconds("2024-05-27T11:00:00Z")));
    }
  }

  EmptinessDecision Decide() {
    CandidateSet set = FindCandidates(snapshot_);
    EXPECT_TRUE(set.blocked.empty());
    candidates_ = std::move(set.candidates);
    return ComputeEmptiness(snapshot_, candidates_,
                            BuildBudgetMapping(snapshot_, DisruptionReason::kEmpty));
  }

  Snapshot snapshot_;
  std::vector<Candidate> candidates_;
};

TEST_F(EmptinessTest, ThirtyPercentOfTenEmptyNodesDeletesThree) {
  snapshot_.node_pools = {MakeNodePool("p",
                                       "    consolidateAfter: 30m\n    budgets:\n"
                                       "      - nodes: \"30%\"\n")};
  AddEmpty("p", 10);
  EmptinessDecision decision = Decide();
  ASSERT_TRUE(decision.command.has_value());
  EXPECT_EQ(*decision.command,
            (Command{Method::kEmptiness, "Empty", {"p-0", "p-1", "p-2"}, {}, std::nullopt}));
  ASSERT_EQ(decision.blocked.size(), 7u);
  EXPECT_EQ(decision.blocked.front(),
            (BlockedNode{"p-3",
                         "budget for reason Empty in NodePool \"p\" is exhausted (3 of 10 "
                         "nodes may be disrupted at once)"}));
}

TEST_F(EmptinessTest, BudgetsPerReasonUnderAnActiveSchedule) {
  const std::string budgets =
      "    consolidateAfter: 0s\n    budgets:\n"
      "      - nodes: \"0\"\n        reasons: [Empty]\n        schedule: \"* * * * *\"\n"
      "        duration: 1h\n"
      "      - nodes: \"100%\"\n        reasons: [Drifted, Underutilized]\n";
  snapshot_.node_pools = {MakeNodePool("blocked", budgets),
                          MakeNodePool("open",
                                       "    consolidateAfter: 0s\n    budgets:\n"
                                       "      - nodes: \"0\"\n        reasons: [Drifted]\n"
                                       "        schedule: \"* * * * *\"\n"
                                       "        duration: 1h\n")};
  AddEmpty("blocked", 2);
  AddEmpty("open", 2);
  EmptinessDecision decision = Decide();
  ASSERT_TRUE(decision.command.has_value());
  // No budget of "open" applies to Empty, so both of its nodes go.
  EXPECT_EQ(decision.command->candidates, (std::vector<std::string>{"open-0", "open-1"}));
  ASSERT_EQ(decision.blocked.size(), 2u);
  EXPECT_EQ(decision.blocked[0].node, "blocked-0");
  EXPECT_EQ(decision.blocked[0].reason,
            "budget for reason Empty in NodePool \"blocked\" is exhausted (0 of 2 nodes may be "
            "disrupted at once; budgets[0] (nodes \"0\", schedule \"* * * * *\", duration 1h0m0s) "
            "applies)");
}

TEST_F(EmptinessTest, WaitsForConsolidateAfter) {
  snapshot_.node_pools = {MakeNodePool("p", "    consolidateAfter: 1h30m\n"),
                          MakeNodePool("never", "    consolidateAfter: Never\n")};
  AddEmpty("p", 1);
  AddEmpty("never", 1);
  EmptinessDecision decision = Decide();
  EXPECT_EQ(decision.command, std::nullopt);
  ASSERT_EQ(decision.blocked.size(), 2u);
  EXPECT_EQ(decision.blocked[0],
            (BlockedNode{"p-0",
                         "not consolidatable until 2024-05-27T12:30:00Z (consolidateAfter "
                         "1h30m0s after the last pod event)"}));
  EXPECT_EQ(decision.blocked[1],
            (BlockedNode{"never-0", "NodePool \"never\" has consolidateAfter: Never"}));
  snapshot_.now = At("2024-05-27T12:30:00Z");
  decision = Decide();
  ASSERT_TRUE(decision.command.has_value());
  EXPECT_EQ(decision.command->candidates, (std::vector<std::string>{"p-0"}));
}

TEST_F(EmptinessTest, FallsBackToTheInitializedTimeThenTheConsolidatableCondition) {
  snapshot_.node_pools = {MakeNodePool("p", "    consolidateAfter: 10m\n")};
  AddEmpty("p", 1);
  api::NodeClaim& claim = testing::Edit(snapshot_.nodes.back().node_claim);
  claim.status.last_pod_event_time.reset();
  claim.status.conditions.push_back(
      testing::MakeCondition("Initialized", "True", Seconds("2024-05-27T11:55:00Z")));
  EXPECT_EQ(ConsolidatableAt(snapshot_.nodes.back(), snapshot_.node_pools.back()),
            At("2024-05-27T12:05:00Z"));
  EXPECT_EQ(Decide().command, std::nullopt);
  claim.status.conditions.clear();
  EXPECT_EQ(Decide().blocked.front().reason,
            "not consolidatable: the NodeClaim has no last pod event time, Initialized time or "
            "Consolidatable condition");
  claim.status.conditions.push_back(
      testing::MakeCondition("Consolidatable", "True", Seconds("2024-05-27T11:00:00Z")));
  ASSERT_TRUE(Decide().command.has_value());
}

TEST_F(EmptinessTest, CheapestFirstAndOnlyEmptyNodes) {
  snapshot_.node_pools = {MakeNodePool("p",
                                       "    consolidateAfter: 0s\n    budgets:\n"
                                       "      - nodes: \"2\"\n")};
  snapshot_.node_pools.back().spec.template_.spec.expire_after =
      core::NillableDuration(std::chrono::hours(24));
  AddEmpty("p", 4);
  // A DaemonSet pod costs but needs no new home: p-0 stays empty yet costs more.
  api::Pod daemon = testing::RunningPod("kube-system", "ds-x", "p-0");
  daemon.metadata.owner_references.push_back({"apps/v1", "DaemonSet", "ds", "", true, false});
  snapshot_.nodes[0].pods.push_back(testing::Share(daemon));
  // p-1 runs a real pod: not emptiness's business.
  snapshot_.nodes[1].pods.push_back(testing::Share(testing::RunningPod("default", "web", "p-1")));
  EmptinessDecision decision = Decide();
  ASSERT_TRUE(decision.command.has_value());
  EXPECT_EQ(decision.command->candidates, (std::vector<std::string>{"p-2", "p-3"}));
  ASSERT_EQ(decision.blocked.size(), 1u);
  EXPECT_EQ(decision.blocked[0].node, "p-0");
}

}  // namespace
}  // namespace karpenter::disruption
