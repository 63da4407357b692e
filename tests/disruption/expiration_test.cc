#include "disruption/expiration.h"

#include <gtest/gtest.h>

#include "disruption/budgets.h"
#include "disruption/candidates.h"
#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::At;
using testing::Seconds;

TEST(Expiration, ExpirationTimeFromCreationAndExpireAfter) {
  api::NodeClaim claim;
  EXPECT_EQ(ExpirationTime(claim), std::nullopt);  // no creation time
  claim.metadata.creation_timestamp = Seconds("2024-05-27T00:00:00Z");
  EXPECT_EQ(ExpirationTime(claim), At("2024-06-26T00:00:00Z"));  // 720h by default
  claim.spec.expire_after = core::NillableDuration(std::chrono::hours(24));
  EXPECT_EQ(ExpirationTime(claim), At("2024-05-28T00:00:00Z"));
  claim.spec.expire_after = core::NillableDuration::Never();
  EXPECT_EQ(ExpirationTime(claim), std::nullopt);
}

TEST(Expiration, IgnoresBudgetsAndDoNotDisrupt) {
  Snapshot snapshot;
  snapshot.now = At("2024-05-28T00:00:00Z");
  // A NodePool that allows no disruption at all.
  snapshot.node_pools = {
      testing::MakeNodePool("p", "    consolidateAfter: 0s\n    budgets:\n      - nodes: \"0\"\n")};
  auto add = [&](const std::string& name, const std::string& created,
                 core::NillableDuration expire_after) -> SnapshotNode& {
    snapshot.nodes.push_back(testing::ManagedNode(name, "p", Seconds(created)));
    testing::Edit(snapshot.nodes.back().node_claim).spec.expire_after = expire_after;
    return snapshot.nodes.back();
  };
  const core::NillableDuration day(std::chrono::hours(24));
  add("young", "2024-05-27T00:00:01Z", day);
  testing::Edit(add("old", "2024-05-26T12:00:00Z", day).node)
      .metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  add("exact", "2024-05-27T00:00:00Z", day)
      .pods.push_back(testing::Share(testing::PodYaml(R"(apiVersion: v1
kind: Pod
metadata:
  name: db-0
  namespace: default
  annotations: {karpenter.sh/do-not-disrupt: "true"}
spec:
  nodeName: exact
  containers: [{name: db}]
)")));
  add("forever", "2020-01-01T00:00:00Z", core::NillableDuration::Never());
  add("leaving", "2024-05-20T00:00:00Z", day).deleting = true;

  EXPECT_EQ(BuildBudgetMapping(snapshot, api::DisruptionReason::kDrifted).at("p").allowed, 0);
  // Graceful methods may not touch "old" or "exact".
  CandidateSet set = FindCandidates(snapshot);
  ASSERT_EQ(set.candidates.size(), 2u);
  EXPECT_EQ(set.candidates[0].Name(), "young");
  EXPECT_EQ(set.candidates[1].Name(), "forever");

  std::vector<ExpiredNode> expired = FindExpired(snapshot);
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(expired[0].node->Name(), "old");
  EXPECT_EQ(expired[0].expired_at, At("2024-05-27T12:00:00Z"));
  EXPECT_EQ(expired[1].node->Name(), "exact");
  EXPECT_EQ(ExpirationCommand(snapshot),
            (Command{Method::kExpiration, "Expired", {"old", "exact"}, {}, std::nullopt}));
  snapshot.now = At("2024-05-27T11:59:59Z");
  EXPECT_EQ(ExpirationCommand(snapshot), std::nullopt);
}

}  // namespace
}  // namespace karpenter::disruption
