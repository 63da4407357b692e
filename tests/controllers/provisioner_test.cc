// Provisioner: batch windows, the NodeClaims it writes, NodePool limits, restarts.
#include "controllers/provisioner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "disruption/nodepool_hash.h"
#include "provisioning_fixture.h"

namespace karpenter::controllers {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace): test helpers
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

class ProvisionerTest : public ControllerFixture {
 protected:
  void SetUp() override {
    auto pool = cluster_.NodePools().Create(MakeNodePool());
    ASSERT_TRUE(pool);
    pool_ = *pool;
  }
  kube::ObjectPtr<api::NodePool> pool_;
};

TEST_F(ProvisionerTest, FivePendingPodsGiveOneNodeClaimAfterTheIdleWindow) {
  StartControllers(/*with_provisioner=*/true);
  CreatePods(5);
  RunUntil(kStart + milliseconds(999));
  EXPECT_THAT(Claims(), IsEmpty());
  RunUntil(kStart + seconds(1));
  ASSERT_THAT(Claims(), SizeIs(1));
  const api::NodeClaim& claim = *Claims()[0];
  ASSERT_TRUE(provisioner_->last_pass().has_value());
  EXPECT_EQ(provisioner_->last_pass()->at, kStart + seconds(1));
  EXPECT_THAT(provisioner_->last_pass()->created, ElementsAre(claim.metadata.name));
  EXPECT_EQ(provisioner_->passes(), 1u);

  EXPECT_THAT(claim.metadata.name, StartsWith("default-"));
  EXPECT_EQ(claim.metadata.generate_name, "default-");
  EXPECT_EQ(Label(claim.metadata, kNodePoolLabel), "default");
  EXPECT_EQ(Label(claim.metadata, "team"), "a");
  EXPECT_EQ(claim.metadata.annotations.at("karpenter.sh/nodepool-hash"),
            disruption::NodePoolTemplateHash(*pool_));
  EXPECT_THAT(claim.metadata.finalizers, ElementsAre("karpenter.sh/termination"));
  ASSERT_THAT(claim.metadata.owner_references, SizeIs(1));
  EXPECT_EQ(claim.metadata.owner_references[0].kind, "NodePool");
  EXPECT_EQ(claim.metadata.owner_references[0].uid, pool_->metadata.uid);
  EXPECT_EQ(claim.spec.node_class_ref.name, "default");

  // 5 cpu of pods: only large (7 allocatable) and xlarge (15) fit, cheapest first.
  const core::NodeSelectorRequirement* types = nullptr;
  for (const auto& requirement : claim.spec.requirements) {
    if (requirement.key == catalog::kLabelInstanceType) types = &requirement;
  }
  ASSERT_NE(types, nullptr);
  EXPECT_EQ(types->op, core::Operator::In);
  EXPECT_THAT(types->values, ElementsAre("large", "xlarge"));
  EXPECT_EQ(claim.spec.resource_requests.Get("cpu"), core::Quantity::FromInt(5));
  EXPECT_EQ(claim.spec.resource_requests.Get("pods"), core::Quantity::FromInt(5));
}

TEST_F(ProvisionerTest, ASteadyTrickleIsCutOffAfterTheMaximumBatch) {
  StartControllers();
  // A 100m pod every 500 ms: the idle window never passes, the maximum does at 10 s.
  for (int i = 0; i < 30; ++i) {
    const core::Time at = kStart + milliseconds(500 * i);
    RunUntil(at);
    if (at < kStart + seconds(10)) {
      EXPECT_THAT(Claims(), IsEmpty()) << "at " << i;
    }
    ASSERT_TRUE(cluster_.Pods().Create(MakePod("p" + std::to_string(i), 100)));
  }
  ASSERT_TRUE(provisioner_->last_pass().has_value());
  // The first pass ran at exactly 10 s with the 20 pods created before it.
  EXPECT_EQ(provisioner_->passes(), 1u);
  EXPECT_EQ(provisioner_->last_pass()->at, kStart + seconds(10));
  EXPECT_EQ(provisioner_->last_pass()->pending_pods, 20u);
  EXPECT_THAT(provisioner_->last_pass()->created, SizeIs(1));
}

TEST_F(ProvisionerTest, ANodePoolCpuLimitStopsTheSecondClaim) {
  ASSERT_TRUE(cluster_.NodePools().Patch({"", "default"}, [](api::NodePool& pool) {
    pool.spec.limits.Set("cpu", core::Quantity::FromInt(9));
  }));
  StartControllers();
  CreatePods(5, "a");
  RunFor(seconds(2));
  ASSERT_THAT(Claims(), SizeIs(1));
  // Launched as a large (8 cpu): 1 cpu of the limit left, less than any type has.
  EXPECT_EQ(Label(Claims()[0]->metadata, catalog::kLabelInstanceType), "large");
  CreatePods(5, "b");
  RunFor(seconds(2));
  EXPECT_THAT(Claims(), SizeIs(1));
  ASSERT_TRUE(provisioner_->last_pass().has_value());
  EXPECT_THAT(provisioner_->last_pass()->created, IsEmpty());
  // The in-flight large (7 cpu allocatable) takes the a-pods and two b-pods.
  EXPECT_EQ(provisioner_->last_pass()->placed_on_existing, 7u);
  EXPECT_THAT(provisioner_->last_pass()->unschedulable, SizeIs(3));
}

TEST_F(ProvisionerTest, InFlightClaimsAreCapacityAcrossPassesAndRestarts) {
  StartControllers();
  CreatePods(5);
  RunFor(seconds(2));
  ASSERT_THAT(Claims(), SizeIs(1));
  const std::string name = Claims()[0]->metadata.name;
  // A new pod re-opens a batch: the five are placed on the in-flight claim, one more fits too.
  CreatePods(1, "q");
  RunFor(seconds(2));
  EXPECT_THAT(Claims(), SizeIs(1));
  EXPECT_EQ(provisioner_->last_pass()->placed_on_existing, 6u);
  // A restarted controller set sees the pending pods at once and launches nothing new.
  StartControllers();
  RunFor(seconds(5));
  ASSERT_THAT(Claims(), SizeIs(1));
  EXPECT_EQ(Claims()[0]->metadata.name, name);
  ASSERT_TRUE(provisioner_->last_pass().has_value());
  EXPECT_EQ(provisioner_->last_pass()->pending_pods, 6u);
  EXPECT_THAT(provisioner_->last_pass()->created, IsEmpty());
  EXPECT_EQ(cloud_.launches(), 1u);
}

TEST_F(ProvisionerTest, PodsThatAreNotPendingDoNotTriggerAPass) {
  StartControllers();
  api::Pod bound = MakePod("bound");
  bound.spec.node_name = "somewhere";
  ASSERT_TRUE(cluster_.Pods().Create(bound));
  api::Pod done = MakePod("done");
  done.status.phase = "Succeeded";
  ASSERT_TRUE(cluster_.Pods().Create(done));
  api::Pod daemon = MakePod("daemon");
  daemon.metadata.owner_references.push_back({"apps/v1", "DaemonSet", "ds", "uid-x", true, true});
  ASSERT_TRUE(cluster_.Pods().Create(daemon));
  RunFor(seconds(30));
  EXPECT_EQ(provisioner_->passes(), 0u);
  EXPECT_THAT(Claims(), IsEmpty());
}

TEST_F(ProvisionerTest, APendingPodIsLeftToKubeSchedulerUntilItFailsToSchedule) {
  StartControllers();
  api::Pod untried = MakePod("untried");
  untried.status.conditions.clear();
  ASSERT_TRUE(cluster_.Pods().Create(untried));
  RunFor(seconds(30));
  EXPECT_EQ(provisioner_->passes(), 0u);
  // kube-scheduler found no node for it: now it is Karpenter's.
  const core::Time failed = clock_.Now();
  ASSERT_TRUE(cluster_.Pods()
                  .Patch({"default", "untried"},
                         [](api::Pod& pod) {
                           pod.status.conditions.push_back(
                               {"PodScheduled", "False", "Unschedulable", "", std::nullopt});
                         })
                  .has_value());
  RunFor(seconds(2));
  EXPECT_EQ(provisioner_->passes(), 1u);
  ASSERT_TRUE(provisioner_->last_pass().has_value());
  EXPECT_EQ(provisioner_->last_pass()->at, failed + seconds(1));
  EXPECT_THAT(Claims(), SizeIs(1));
}

TEST_F(ProvisionerTest, MakeNodeClaimCopiesTheTemplate) {
  api::NodePool pool = *pool_;
  pool.spec.template_.spec.taints.push_back({"dedicated", "x", core::TaintEffect::NoSchedule});
  pool.spec.template_.spec.startup_taints.push_back({"boot", "", core::TaintEffect::NoExecute});
  pool.spec.template_.spec.expire_after = core::NillableDuration(std::chrono::hours(24));
  pool.spec.template_.spec.termination_grace_period = std::chrono::minutes(10);
  scheduling::NewNodeClaim claim;
  claim.node_pool = "default";
  claim.requirements.Add(core::Requirement::In("karpenter.sh/capacity-type", {"on-demand"}));
  claim.requests.Set("cpu", core::Quantity::FromInt(2));
  const api::NodeClaim object = MakeNodeClaim(pool, claim);
  EXPECT_EQ(object.spec.taints, pool.spec.template_.spec.taints);
  EXPECT_EQ(object.spec.startup_taints, pool.spec.template_.spec.startup_taints);
  EXPECT_EQ(object.spec.expire_after, pool.spec.template_.spec.expire_after);
  EXPECT_EQ(object.spec.termination_grace_period, std::chrono::minutes(10));
  ASSERT_THAT(object.spec.requirements, SizeIs(2));
  EXPECT_EQ(object.spec.requirements[0].key, "karpenter.sh/capacity-type");
  EXPECT_EQ(object.spec.requirements[1].key, "node.kubernetes.io/instance-type");
  EXPECT_THAT(object.spec.requirements[1].values, IsEmpty());
  EXPECT_EQ(object.spec.resource_requests.Get("cpu"), core::Quantity::FromInt(2));
}

}  // namespace
}  // namespace karpenter::controllers
