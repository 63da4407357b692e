#include "kube/disruption_budget.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "kube_test_util.h"

namespace karpenter::kube {
namespace {

using api::IntOrPercent;

struct Case {
  std::optional<IntOrPercent> min_available;
  std::optional<IntOrPercent> max_unavailable;
  int32_t expected;
  int32_t healthy;
  int32_t want_desired;
  int32_t want_allowed;
};

TEST(ComputeBudgetStatus, FollowsTheDisruptionController) {
  const Case cases[] = {
      {IntOrPercent::Count(2), std::nullopt, 3, 3, 2, 1},
      {IntOrPercent::Count(2), std::nullopt, 3, 1, 2, 0},     // never negative
      {IntOrPercent::Percent(50), std::nullopt, 3, 3, 2, 1},  // ceil(1.5)
      {IntOrPercent::Percent(0), std::nullopt, 3, 3, 0, 3},
      {std::nullopt, IntOrPercent::Count(1), 3, 3, 2, 1},
      {std::nullopt, IntOrPercent::Percent(50), 3, 3, 1, 2},  // 3 - ceil(1.5)
      {std::nullopt, IntOrPercent::Percent(30), 10, 10, 7, 3},
      {std::nullopt, IntOrPercent::Count(5), 3, 3, 0, 3},            // desired never below 0
      {IntOrPercent::Count(1), IntOrPercent::Count(0), 3, 3, 3, 0},  // maxUnavailable wins
      {IntOrPercent::Count(0), std::nullopt, 0, 2, 0, 0},  // nothing expected: nothing allowed
      {std::nullopt, std::nullopt, 0, 2, 0, 0},
  };
  for (const Case& c : cases) {
    api::PodDisruptionBudget budget;
    budget.metadata.generation = 4;
    budget.min_available = c.min_available;
    budget.max_unavailable = c.max_unavailable;
    const api::PodDisruptionBudgetStatus status =
        ComputeBudgetStatus(budget, c.expected, c.healthy);
    const std::string label = (c.min_available ? "min=" + c.min_available->ToString() : "") +
                              (c.max_unavailable ? " max=" + c.max_unavailable->ToString() : "") +
                              " expected=" + std::to_string(c.expected);
    EXPECT_EQ(status.desired_healthy, c.want_desired) << label;
    EXPECT_EQ(status.disruptions_allowed, c.want_allowed) << label;
    EXPECT_EQ(status.expected_pods, c.expected) << label;
    EXPECT_EQ(status.current_healthy, c.healthy) << label;
    EXPECT_EQ(status.observed_generation, 4) << label;
  }
}

TEST(ExpectedPodsSourceOf, DependsOnTheField) {
  api::PodDisruptionBudget budget;
  EXPECT_EQ(ExpectedPodsSourceOf(budget), ExpectedPodsSource::kNone);
  budget.min_available = IntOrPercent::Count(1);
  EXPECT_EQ(ExpectedPodsSourceOf(budget), ExpectedPodsSource::kSelectedPods);
  budget.min_available = IntOrPercent::Percent(10);
  EXPECT_EQ(ExpectedPodsSourceOf(budget), ExpectedPodsSource::kControllerScale);
  budget.min_available.reset();
  budget.max_unavailable = IntOrPercent::Count(1);
  EXPECT_EQ(ExpectedPodsSourceOf(budget), ExpectedPodsSource::kControllerScale);
}

TEST(PodHealth, ReadyConditionAndNotTerminating) {
  api::Pod pod = testing::ReadyPod("default", "a");
  EXPECT_TRUE(IsPodReady(pod));
  EXPECT_TRUE(IsPodHealthy(pod));
  pod.metadata.deletion_timestamp = 1;
  EXPECT_TRUE(IsPodReady(pod));
  EXPECT_FALSE(IsPodHealthy(pod));
  EXPECT_FALSE(IsPodReady(testing::UnreadyPod("default", "b")));
  EXPECT_FALSE(IsPodReady(testing::MakePod("default", "c")));
}

TEST(BudgetSelects, NamespaceAndSelector) {
  api::PodDisruptionBudget budget;
  budget.metadata.namespace_ = "default";
  const api::Pod web = testing::MakePod("default", "a", {{"app", "web"}});
  EXPECT_FALSE(BudgetSelects(budget, web));  // no selector: nothing
  budget.selector = core::LabelSelector{};
  EXPECT_TRUE(BudgetSelects(budget, web));  // empty selector: everything in the namespace
  EXPECT_FALSE(BudgetSelects(budget, testing::MakePod("other", "a", {{"app", "web"}})));
  budget.selector->match_labels = {{"app", "db"}};
  EXPECT_FALSE(BudgetSelects(budget, web));
}

}  // namespace
}  // namespace karpenter::kube
