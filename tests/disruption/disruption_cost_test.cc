#include "disruption/disruption_cost.h"

#include <gtest/gtest.h>

#include <cmath>

#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::At;
using testing::RunningPod;

api::Pod WithCost(const std::string& deletion_cost, std::optional<int32_t> priority = {}) {
  api::Pod pod = RunningPod("default", "p", "n1");
  if (!deletion_cost.empty()) {
    pod.metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] = deletion_cost;
  }
  pod.spec.priority = priority;
  return pod;
}

TEST(DisruptionCost, EvictionCostFormula) {
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("")), 1.0);
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("134217728")), 2.0);            // 2^27
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("-67108864")), 0.5);            // -2^26
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("", 33554432)), 2.0);           // priority 2^25
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("", 1000000000)), 10.0);        // clamped
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("-2147483647")), -10.0);        // about -15, clamped
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("1073741824")), 9.0);           // 2^30
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("", -2147483647 - 1)), -10.0);  // clamped
  EXPECT_DOUBLE_EQ(EvictionCost(WithCost("+1.34217728e8", 33554432)), 3.0);
  // Unparsable values are ignored.
  for (const char* bad : {"abc", "1,5", "nan", "--1", "+-1", "1e999", " 1"}) {
    EXPECT_DOUBLE_EQ(EvictionCost(WithCost(bad)), 1.0) << bad;
  }
}

TEST(DisruptionCost, ReschedulingCostSums) {
  api::Pod a = WithCost("134217728"), b = WithCost(""), c = WithCost("", -33554432);
  EXPECT_DOUBLE_EQ(ReschedulingCost({}), 0.0);
  EXPECT_DOUBLE_EQ(ReschedulingCost({&a, &b, &c}), 3.0);
}

TEST(DisruptionCost, LifetimeRemainingUsesTheNodePoolExpireAfter) {
  api::NodePool pool = testing::MakeNodePool("p");
  pool.spec.template_.spec.expire_after = core::NillableDuration(std::chrono::hours(10));
  api::NodeClaim claim;
  claim.spec.expire_after = core::NillableDuration::Never();  // ignored, as upstream
  claim.metadata.creation_timestamp = testing::Seconds("2024-05-27T00:00:00Z");
  EXPECT_DOUBLE_EQ(LifetimeRemaining(pool, claim, At("2024-05-27T00:00:00Z")), 1.0);
  EXPECT_DOUBLE_EQ(LifetimeRemaining(pool, claim, At("2024-05-27T02:30:00Z")), 0.75);
  EXPECT_DOUBLE_EQ(LifetimeRemaining(pool, claim, At("2024-05-27T12:00:00Z")), 0.0);
  EXPECT_DOUBLE_EQ(LifetimeRemaining(pool, claim, At("2024-05-26T00:00:00Z")), 1.0);
  pool.spec.template_.spec.expire_after = core::NillableDuration::Never();
  EXPECT_DOUBLE_EQ(LifetimeRemaining(pool, claim, At("2024-05-27T02:30:00Z")), 1.0);
}

TEST(DisruptionCost, NodeCostCountsEveryPodScaledByLifetime) {
  api::NodePool pool = testing::MakeNodePool("p");
  pool.spec.template_.spec.expire_after = core::NillableDuration(std::chrono::hours(4));
  SnapshotNode node = testing::ManagedNode("n1", "p", testing::Seconds("2024-05-27T00:00:00Z"));
  api::Pod daemon = WithCost("");
  daemon.metadata.owner_references.push_back({"apps/v1", "DaemonSet", "ds", "", true, false});
  node.pods =
      ShareAll(std::vector<api::Pod>{daemon, WithCost("134217728"), WithCost("", 33554432)});
  EXPECT_DOUBLE_EQ(NodeDisruptionCost(node, pool, At("2024-05-27T01:00:00Z")), 5.0 * 0.75);
}

}  // namespace
}  // namespace karpenter::disruption
