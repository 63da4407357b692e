#include "disruption/budgets.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using api::DisruptionReason;
using testing::At;
using testing::MakeNodePool;

// The NodePool of seed 000, as examples/general-purpose.yaml writes it.
api::NodePool SeedNodePool() {
  std::ifstream file(std::string(KARPENTER_SOURCE_DIR) + "/examples/general-purpose.yaml");
  std::stringstream text;
  text << file.rdbuf();
  api::ReadResult read = api::ReadYamlDocuments(text.str(), "general-purpose.yaml");
  EXPECT_TRUE(read.errors.empty());
  for (const api::Document& document : read.documents) {
    if (document.value.value("kind", "") != "NodePool") continue;
    api::FieldErrors errors;
    api::NodePool pool = api::codec::DecodeNodePool(document.value, errors);
    EXPECT_TRUE(errors.empty());
    return pool;
  }
  ADD_FAILURE() << "no NodePool in examples/general-purpose.yaml";
  return {};
}

int64_t Allowed(const api::NodePool& pool, DisruptionReason reason, int64_t nodes, Time now,
                int64_t disrupting = 0) {
  return ComputeBudget(pool, reason, nodes, disrupting, now).allowed;
}

TEST(Budgets, SeedNodePoolBehavesAsWritten) {
  const api::NodePool pool = SeedNodePool();
  ASSERT_EQ(pool.spec.disruption.budgets.size(), 2u);
  // 10% of 10 nodes is 1, except from 23:00 UTC for 20 hours, when nothing may be disrupted.
  for (DisruptionReason reason :
       {DisruptionReason::kEmpty, DisruptionReason::kDrifted, DisruptionReason::kUnderutilized}) {
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-27T22:59:00Z")), 1);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-27T22:59:59Z")), 1);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-27T23:00:00Z")), 0);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-28T03:00:00Z")), 0);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-28T12:00:00Z")), 0);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-28T18:59:00Z")), 0);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-28T18:59:59Z")), 0);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-28T19:00:00Z")), 1);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-28T20:30:00Z")), 1);
    EXPECT_EQ(Allowed(pool, reason, 10, At("2024-05-28T23:00:00Z")), 0);
  }
  // 10% rounds up: 25 nodes allow 3.
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 25, At("2024-05-28T20:00:00Z")), 3);
}

TEST(Budgets, PercentRoundsUpAndCountsAreCounts) {
  const Time now = At("2024-05-27T12:00:00Z");
  api::NodePool pool = MakeNodePool("p",
                                    "    consolidateAfter: 0s\n    budgets:\n"
                                    "      - nodes: \"30%\"\n");
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 10, now), 3);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 11, now), 4);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 0, now), 0);
  pool = MakeNodePool("p",
                      "    consolidateAfter: 0s\n    budgets:\n      - nodes: \"5\"\n"
                      "      - nodes: \"50%\"\n");
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 4, now), 2);   // min(5, 2)
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 20, now), 5);  // min(5, 10)
}

TEST(Budgets, NoBudgetsMeansTheDefaultTenPercent) {
  api::NodePool pool = MakeNodePool("p");
  ASSERT_TRUE(pool.spec.disruption.budgets.empty());
  EXPECT_EQ(EffectiveBudgets(pool).size(), 1u);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kDrifted, 20, At("2024-05-27T12:00:00Z")), 2);
}

TEST(Budgets, PerReasonUnderAnActiveEveryMinuteSchedule) {
  api::NodePool pool =
      MakeNodePool("p",
                   "    consolidateAfter: 0s\n    budgets:\n"
                   "      - nodes: \"0\"\n        reasons: [Empty]\n"
                   "        schedule: \"* * * * *\"\n        duration: 1h\n"
                   "      - nodes: \"50%\"\n        reasons: [Drifted]\n"
                   "        schedule: \"* * * * *\"\n        duration: 1h\n"
                   "      - nodes: \"1\"\n        reasons: [Underutilized, Empty]\n");
  const Time now = At("2024-05-27T12:34:56Z");
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 10, now), 0);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kDrifted, 10, now), 5);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kUnderutilized, 10, now), 1);
}

TEST(Budgets, InactiveWindowsDoNotLimit) {
  api::NodePool pool = MakeNodePool("p",
                                    "    consolidateAfter: 0s\n    budgets:\n"
                                    "      - nodes: \"0\"\n        schedule: \"0 9 * * *\"\n"
                                    "        duration: 1h30m\n");
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 10, At("2024-05-27T08:59:00Z")), kUnbounded);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 10, At("2024-05-27T09:00:00Z")), 0);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 10, At("2024-05-27T10:29:59Z")), 0);
  EXPECT_EQ(Allowed(pool, DisruptionReason::kEmpty, 10, At("2024-05-27T10:30:00Z")), kUnbounded);
}

TEST(Budgets, InvalidScheduleFailsClosedForEveryReason) {
  api::NodePool pool = MakeNodePool("p");
  api::Budget open;
  open.nodes = api::IntOrPercent::Percent(100);
  api::Budget broken;
  broken.nodes = api::IntOrPercent::Count(5);
  broken.reasons = {DisruptionReason::kDrifted};
  broken.schedule = "61 * * * *";
  broken.duration = std::chrono::hours(1);
  pool.spec.disruption.budgets = {open, broken};
  BudgetStatus status =
      ComputeBudget(pool, DisruptionReason::kEmpty, 10, 0, At("2024-05-27T12:00:00Z"));
  EXPECT_EQ(status.allowed, 0);
  ASSERT_EQ(status.errors.size(), 1u);
  EXPECT_EQ(BudgetExhaustedReason(status),
            "budget for reason Empty in NodePool \"p\" is exhausted (an invalid budget closes the "
            "NodePool: budgets[1]: invalid schedule \"61 * * * *\": end of range (61) above "
            "maximum (59): 61)");
}

TEST(Budgets, ScheduleAndDurationMustComeTogether) {
  api::Budget budget;
  budget.nodes = api::IntOrPercent::Count(0);
  budget.schedule = "* * * * *";  // no duration: a window of no length, never active
  EXPECT_EQ(IsBudgetActive(budget, At("2024-05-27T12:00:00Z")).value(), false);
  EXPECT_EQ(BudgetAllowed(budget, 10, At("2024-05-27T12:00:00Z")).value(), kUnbounded);
  budget.schedule.reset();
  budget.duration = std::chrono::hours(1);
  EXPECT_EQ(IsBudgetActive(budget, At("2024-05-27T12:00:00Z")).error().message,
            "duration is set without a schedule");
}

TEST(Budgets, ANeverFiringScheduleCountsAsActiveAsUpstream) {
  api::Budget budget;
  budget.nodes = api::IntOrPercent::Count(0);
  budget.schedule = "0 0 30 2 *";
  budget.duration = std::chrono::hours(1);
  EXPECT_EQ(IsBudgetActive(budget, At("2024-05-27T12:00:00Z")).value(), true);
}

TEST(Budgets, MappingSubtractsDisruptingAndUnreadyNodes) {
  Snapshot snapshot;
  snapshot.now = At("2024-05-27T12:00:00Z");
  snapshot.node_pools = {MakeNodePool("a",
                                      "    consolidateAfter: 0s\n    budgets:\n"
                                      "      - nodes: \"50%\"\n"),
                         MakeNodePool("b")};
  for (int i = 0; i < 10; ++i) {
    snapshot.nodes.push_back(testing::ManagedNode("a-" + std::to_string(i), "a", 0));
  }
  snapshot.nodes[0].deleting = true;
  testing::Edit(snapshot.nodes[1].node).status.conditions[0].status = "False";
  testing::Edit(snapshot.nodes[2].node).status.conditions[0].status = "Unknown";
  // Not counted at all: uninitialized, or not managed.
  snapshot.nodes.push_back(testing::ManagedNode("a-new", "a", 0));
  snapshot.nodes.back().initialized = false;
  snapshot.nodes.push_back(testing::ManagedNode("a-unmanaged", "a", 0));
  snapshot.nodes.back().node_claim.reset();

  BudgetMapping mapping = BuildBudgetMapping(snapshot, DisruptionReason::kEmpty);
  ASSERT_EQ(mapping.size(), 2u);
  const BudgetStatus& a = mapping.at("a");
  EXPECT_EQ(a.node_count, 10);
  EXPECT_EQ(a.disrupting, 3);
  EXPECT_EQ(a.budget, 5);
  EXPECT_EQ(a.allowed, 2);
  EXPECT_EQ(BudgetExhaustedReason(a),
            "budget for reason Empty in NodePool \"a\" is exhausted (5 of 10 nodes may be "
            "disrupted at once; 3 already disrupting or not ready)");
  const BudgetStatus& b = mapping.at("b");
  EXPECT_EQ(b.node_count, 0);
  EXPECT_EQ(b.allowed, 0);
}

api::Budget ScheduledBudget(int32_t nodes, std::string schedule, std::chrono::hours duration) {
  api::Budget budget;
  budget.nodes = api::IntOrPercent::Count(nodes);
  budget.schedule = std::move(schedule);
  budget.duration = duration;
  return budget;
}

TEST(Budgets, WindowEndFollowsOverlappingFirings) {
  const api::Budget nightly = ScheduledBudget(0, "0 23 * * *", std::chrono::hours(20));
  EXPECT_EQ(WindowEnd(nightly, At("2024-05-28T10:00:00Z")), At("2024-05-28T19:00:00Z"));
  EXPECT_EQ(WindowEnd(nightly, At("2024-05-27T23:00:00Z")), At("2024-05-28T19:00:00Z"));
  EXPECT_EQ(WindowEnd(nightly, At("2024-05-28T19:30:00Z")), std::nullopt);  // not active
  // 09:00 for 8h, then 15:00 for 8h: one window from 09:00 to 23:00.
  EXPECT_EQ(WindowEnd(ScheduledBudget(0, "0 9,15 * * *", std::chrono::hours(8)),
                      At("2024-05-28T10:00:00Z")),
            At("2024-05-28T23:00:00Z"));
  // Firing every minute for an hour never lapses; @every has no fixed firings.
  EXPECT_EQ(
      WindowEnd(ScheduledBudget(0, "* * * * *", std::chrono::hours(1)), At("2024-05-28T10:00:00Z")),
      std::nullopt);
  EXPECT_EQ(
      WindowEnd(ScheduledBudget(0, "@every 1h", std::chrono::hours(2)), At("2024-05-28T10:00:00Z")),
      std::nullopt);
  api::Budget always;
  EXPECT_EQ(WindowEnd(always, At("2024-05-28T10:00:00Z")), std::nullopt);
}

TEST(Budgets, ExhaustedReasonNamesTheScheduledBudgetThatCloses) {
  const api::NodePool pool = SeedNodePool();
  BudgetStatus status =
      ComputeBudget(pool, DisruptionReason::kDrifted, 6, 0, At("2024-05-28T10:00:00Z"));
  ASSERT_TRUE(status.limiting.has_value());
  EXPECT_EQ(status.limiting->index, 1u);
  EXPECT_EQ(status.limiting->until, At("2024-05-28T19:00:00Z"));
  EXPECT_EQ(BudgetExhaustedReason(status),
            "budget for reason Drifted in NodePool \"general-purpose\" is exhausted (0 of 6 nodes "
            "may be disrupted at once; budgets[1] (nodes \"0\", schedule \"0 23 * * *\", duration "
            "20h0m0s) applies until 2024-05-28T19:00:00Z)");
  // Out of the window the 10% budget sets the limit, and has no window to name.
  status = ComputeBudget(pool, DisruptionReason::kDrifted, 6, 1, At("2024-05-28T19:30:00Z"));
  ASSERT_TRUE(status.limiting.has_value());
  EXPECT_EQ(status.limiting->index, 0u);
  EXPECT_EQ(BudgetExhaustedReason(status),
            "budget for reason Drifted in NodePool \"general-purpose\" is exhausted (1 of 6 nodes "
            "may be disrupted at once; 1 already disrupting or not ready)");
  // Among equal limits the unscheduled budget is named: the window closing would not help.
  api::NodePool both = MakeNodePool("p",
                                    "    consolidateAfter: 0s\n    budgets:\n"
                                    "      - nodes: \"0\"\n        schedule: \"0 23 * * *\"\n"
                                    "        duration: 20h\n"
                                    "      - nodes: \"0\"\n");
  status = ComputeBudget(both, DisruptionReason::kEmpty, 6, 0, At("2024-05-28T10:00:00Z"));
  ASSERT_TRUE(status.limiting.has_value());
  EXPECT_EQ(status.limiting->index, 1u);
  EXPECT_EQ(BudgetExhaustedReason(status),
            "budget for reason Empty in NodePool \"p\" is exhausted (0 of 6 nodes may be "
            "disrupted at once)");
  // No active budget applies: nothing limits.
  api::NodePool none = MakeNodePool("p",
                                    "    consolidateAfter: 0s\n    budgets:\n"
                                    "      - nodes: \"0\"\n        reasons: [Drifted]\n");
  status = ComputeBudget(none, DisruptionReason::kEmpty, 6, 0, At("2024-05-28T10:00:00Z"));
  EXPECT_EQ(status.budget, kUnbounded);
  EXPECT_FALSE(status.limiting.has_value());
}

}  // namespace
}  // namespace karpenter::disruption
