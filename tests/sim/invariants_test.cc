// The invariant checker catches each invariant broken on purpose, and stays quiet otherwise.
#include "sim/invariants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cluster_test_util.h"

namespace karpenter::sim {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class InvariantsTest : public ::testing::Test {
 protected:
  InvariantsTest() : cluster_(clock_), cloud_(clock_, OneTypeCatalog()) {}

  // A ReplicaSet default/web wanting `replicas` pods.
  kube::ObjectPtr<api::ReplicaSet> MakeReplicaSet(int32_t replicas) {
    api::ReplicaSet replica_set;
    replica_set.metadata.namespace_ = "default";
    replica_set.metadata.name = "web";
    replica_set.replicas = replicas;
    auto created = cluster_.ReplicaSets().Create(replica_set);
    EXPECT_TRUE(created);
    return *created;
  }

  // A pod of `owner` (when given), Running and Ready on node n1 when `healthy`, label app=web.
  void MakePod(const std::string& name, const api::ReplicaSet* owner, bool healthy = true) {
    api::Pod pod = PendingPod(name);
    pod.metadata.labels["app"] = "web";
    if (owner != nullptr) {
      api::OwnerReference ref;
      ref.api_version = "apps/v1";
      ref.kind = "ReplicaSet";
      ref.name = owner->metadata.name;
      ref.uid = owner->metadata.uid;
      ref.controller = true;
      pod.metadata.owner_references.push_back(ref);
    }
    if (healthy) {
      pod.spec.node_name = "n1";
      pod.status.phase = "Running";
      pod.status.conditions.push_back({"Ready", "True", "", "", 0});
    }
    ASSERT_TRUE(cluster_.Pods().Create(pod));
  }

  void MakeBudget(int min_available) {
    api::PodDisruptionBudget budget;
    budget.metadata.namespace_ = "default";
    budget.metadata.name = "web";
    budget.min_available = api::IntOrPercent::Count(min_available);
    budget.selector = core::LabelSelector{};
    budget.selector->match_labels["app"] = "web";
    ASSERT_TRUE(cluster_.PodDisruptionBudgets().Create(budget));
  }

  std::vector<std::string> Check() {
    cluster_.Deliver();
    std::vector<std::string> found;
    for (const InvariantViolation& v : checker_.Check()) {
      found.push_back(v.invariant + ": " + v.message);
    }
    return found;
  }

  core::ManualClock clock_{At(0)};
  kube::MemoryCluster cluster_;
  cloud::SimulatedCloud cloud_;
  InvariantChecker checker_{cluster_, cloud_, clock_};
};

TEST_F(InvariantsTest, AReplicaSetShortOfPodsIsReportedOnceUntilItRecovers) {
  auto web = MakeReplicaSet(3);
  MakePod("web-0", web.get());
  MakePod("web-1", web.get());
  MakePod("stray", nullptr);  // not the ReplicaSet's: does not count
  EXPECT_THAT(Check(),
              ElementsAre("pod-lost: ReplicaSet/default/web wants 3 pods but 2 are pending or "
                          "running"));
  EXPECT_THAT(Check(), IsEmpty());
  MakePod("web-2", web.get(), /*healthy=*/false);  // pending counts
  EXPECT_THAT(Check(), IsEmpty());
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "web-0"}));
  EXPECT_THAT(Check(), SizeIs(1));
  EXPECT_THAT(checker_.violations(), SizeIs(2));
  EXPECT_EQ(checker_.violations()[0].objects, std::vector<std::string>{"ReplicaSet/default/web"});
  EXPECT_EQ(checker_.violations()[0].at, At(0));
}

TEST_F(InvariantsTest, AnInstanceWithoutItsNodeClaimLeaksAfterTheGracePeriod) {
  ASSERT_TRUE(cluster_.NodeClaims().Create(Claim("kept")));
  ASSERT_TRUE(cloud_.Create(Claim("kept")));
  auto orphan = cloud_.Create(Claim("gone"));  // its NodeClaim was never stored
  ASSERT_TRUE(orphan);
  EXPECT_THAT(Check(), IsEmpty());
  clock_.AdvanceTo(At(180));  // exactly the grace period: still allowed
  EXPECT_THAT(Check(), IsEmpty());
  clock_.AdvanceTo(At(181));
  EXPECT_THAT(Check(), ElementsAre("instance-leak: instance " + orphan->provider_id +
                                   " (m.large) has had no NodeClaim for 181s (NodeClaim gone is "
                                   "gone)"));
  EXPECT_THAT(Check(), IsEmpty());  // reported once
  // A terminating instance is on its way out: not a leak.
  auto other = cloud_.Create(Claim("also-gone"));
  ASSERT_TRUE(other);
  ASSERT_TRUE(cloud_.Delete(other->provider_id));
  clock_.AdvanceTo(At(190));
  EXPECT_THAT(Check(), IsEmpty());
}

TEST_F(InvariantsTest, AnEvictionTheBudgetDidNotAllowIsAViolation) {
  auto web = MakeReplicaSet(2);
  MakePod("web-0", web.get());
  MakePod("web-1", web.get());
  MakeBudget(2);
  EXPECT_THAT(Check(), IsEmpty());
  // The cluster refuses it...
  EXPECT_FALSE(cluster_.Evict({"default", "web-0"}));
  EXPECT_THAT(Check(), IsEmpty());
  // ...so a buggy controller marks and deletes the pod as an eviction would.
  ASSERT_TRUE(cluster_.Pods().Patch({"default", "web-0"}, [](api::Pod& pod) {
    pod.status.conditions.push_back(
        {"DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting", 0});
  }));
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "web-0"}));
  EXPECT_THAT(Check(),
              ElementsAre("pdb-violated: Pod/default/web-0 was evicted while "
                          "PodDisruptionBudget default/web allowed no disruption (2 healthy, 2 "
                          "desired)",
                          "pod-lost: ReplicaSet/default/web wants 2 pods but 1 are pending or "
                          "running"));
}

TEST_F(InvariantsTest, EvictionsTheBudgetAllowsAndUnhealthyPodsAreFine) {
  auto web = MakeReplicaSet(3);
  MakePod("web-0", web.get());
  MakePod("web-1", web.get());
  MakePod("web-2", web.get(), /*healthy=*/false);
  MakeBudget(1);
  EXPECT_TRUE(cluster_.Evict({"default", "web-0"}));  // 2 healthy, 1 desired
  EXPECT_TRUE(cluster_.Evict({"default", "web-2"}));  // not ready: costs nothing
  EXPECT_THAT(Check(), ElementsAre("pod-lost: ReplicaSet/default/web wants 3 pods but 1 are "
                                   "pending or running"));
  EXPECT_THAT(checker_.violations(), SizeIs(1));
}

TEST_F(InvariantsTest, ACommandThatDeletedItsNodesBeforeTheReplacementWasReadyIsAViolation) {
  std::vector<controllers::ExecutedCommand> history;
  checker_.WatchDisruptions(history);
  api::NodeClaim ready = Claim("replacement-ready");
  ready.status.conditions.push_back({"Initialized", "True", 0, 0, "", ""});
  ASSERT_TRUE(cluster_.NodeClaims().Create(ready));
  ASSERT_TRUE(cluster_.NodeClaims().Create(Claim("replacement-launching")));
  controllers::ExecutedCommand good;
  good.method = disruption::Method::kSingleNodeConsolidation;
  good.reason = "Underutilized";
  good.candidates = {"node-a"};
  good.replacement_node_claims = {"replacement-ready"};
  history.push_back(good);
  EXPECT_THAT(Check(), IsEmpty());
  controllers::ExecutedCommand bad = good;
  bad.candidates = {"node-b", "node-c"};
  bad.method = disruption::Method::kMultiNodeConsolidation;
  bad.replacement_node_claims = {"replacement-launching", "replacement-missing"};
  history.push_back(bad);
  controllers::ExecutedCommand given_up = bad;  // abandoned commands deleted nothing
  given_up.outcome = controllers::CommandOutcome::kAbandoned;
  history.push_back(given_up);
  EXPECT_THAT(Check(),
              ElementsAre("node-deleted-before-replacement: multi-node (Underutilized) deleted "
                          "node-b, node-c while its replacement NodeClaim replacement-launching "
                          "was not initialized",
                          "node-deleted-before-replacement: multi-node (Underutilized) deleted "
                          "node-b, node-c while its replacement NodeClaim replacement-missing "
                          "did not exist"));
  EXPECT_EQ(
      checker_.violations()[0].objects,
      (std::vector<std::string>{"Node/node-b", "Node/node-c", "NodeClaim/replacement-launching"}));
  EXPECT_THAT(Check(), IsEmpty());
}

}  // namespace
}  // namespace karpenter::sim
