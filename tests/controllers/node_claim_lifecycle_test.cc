// NodeClaimLifecycle: launch, capacity errors, registration, initialization, liveness,
// deletion, restarts.
#include "controllers/node_claim_lifecycle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "provisioning_fixture.h"

namespace karpenter::controllers {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace): test helpers
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

class LifecycleTest : public ControllerFixture {
 protected:
  // Creates NodeClaim "default-abcde" and runs the lifecycle controller until it is launched.
  kube::ObjectPtr<api::NodeClaim> LaunchClaim() {
    EXPECT_TRUE(cluster_.NodeClaims().Create(MakeNodeClaim("default-abcde")));
    StartControllers(/*with_provisioner=*/false);
    RunFor(seconds(1));
    return Claim("default-abcde");
  }
};

TEST_F(LifecycleTest, LaunchSetsProviderIdStatusAndLabels) {
  auto claim = LaunchClaim();
  ASSERT_NE(claim, nullptr);
  EXPECT_EQ(cloud_.launches(), 1u);
  EXPECT_EQ(ConditionStatus(*claim, "Launched"), "True");
  EXPECT_EQ(ConditionStatus(*claim, "Registered"), "");
  auto instance = cloud_.Get(claim->status.provider_id);
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->node_claim, "default-abcde");
  EXPECT_EQ(claim->status.provider_id, "aws:///zone-a/i-00000000000000001");
  EXPECT_EQ(claim->status.image_id, "ami-simulated");
  EXPECT_EQ(claim->status.capacity.Get("cpu"), core::Quantity::FromInt(8));
  EXPECT_EQ(claim->status.allocatable.Get("cpu"), core::Quantity::FromInt(7));
  EXPECT_EQ(Label(claim->metadata, catalog::kLabelInstanceType), "large");
  EXPECT_EQ(Label(claim->metadata, catalog::kLabelZone), "zone-a");
  EXPECT_EQ(Label(claim->metadata, catalog::kLabelCapacityType), "on-demand");
  EXPECT_EQ(Label(claim->metadata, kNodePoolLabel), "default");
}

TEST_F(LifecycleTest, InsufficientCapacityDeletesTheClaimAndTheProvisionerTriesElsewhere) {
  ASSERT_TRUE(cluster_.NodePools().Create(MakeNodePool({"spot", "on-demand"})));
  for (const char* type : {"large", "xlarge"}) {
    for (const char* zone : {"zone-a", "zone-b"}) {
      cloud_.InjectInsufficientCapacity(type, zone, catalog::CapacityType::kSpot);
    }
  }
  StartControllers();
  CreatePods(5);
  RunUntil(kStart + seconds(1));
  // The first claim asked for spot, every spot option failed: it is gone.
  ASSERT_TRUE(provisioner_->last_pass().has_value());
  ASSERT_THAT(provisioner_->last_pass()->created, SizeIs(1));
  const std::string first = provisioner_->last_pass()->created[0];
  EXPECT_EQ(Claim(first), nullptr);
  EXPECT_EQ(cloud_.launches(), 0u);
  EXPECT_FALSE(cloud_.unavailable_offerings().IsAvailable(
      {"large", "zone-a", catalog::CapacityType::kSpot}, clock_.Now()));
  // Its deletion opened a new batch: the next claim launches on demand.
  RunUntil(kStart + seconds(2));
  ASSERT_THAT(Claims(), SizeIs(1));
  const auto& second = *Claims()[0];
  EXPECT_NE(second.metadata.name, first);
  EXPECT_EQ(ConditionStatus(second, "Launched"), "True");
  EXPECT_EQ(Label(second.metadata, catalog::kLabelCapacityType), "on-demand");
  EXPECT_EQ(Label(second.metadata, catalog::kLabelInstanceType), "large");
  EXPECT_EQ(cloud_.launches(), 1u);
}

TEST_F(LifecycleTest, LaunchFailuresAreRetriedThenTimeOutAfterFiveMinutes) {
  cloud_.FailNextLaunches(1000, "boom");
  auto claim = LaunchClaim();
  ASSERT_NE(claim, nullptr);
  EXPECT_EQ(ConditionStatus(*claim, "Launched"), "False");
  EXPECT_EQ(api::FindCondition(claim->status.conditions, "Launched")->reason, "LaunchFailed");
  EXPECT_EQ(api::FindCondition(claim->status.conditions, "Launched")->message, "boom");
  RunUntil(kStart + minutes(5) - seconds(1));
  ASSERT_NE(Claim("default-abcde"), nullptr);
  RunUntil(kStart + minutes(5));
  EXPECT_EQ(Claim("default-abcde"), nullptr);
  EXPECT_EQ(cloud_.launches(), 0u);
}

TEST_F(LifecycleTest, RegistrationAndInitialization) {
  api::NodeClaim templ = MakeNodeClaim("default-abcde");
  templ.metadata.labels["team"] = "a";
  templ.spec.taints.push_back({"dedicated", "x", core::TaintEffect::NoSchedule});
  templ.spec.startup_taints.push_back({"example.com/boot", "", core::TaintEffect::NoSchedule});
  ASSERT_TRUE(cluster_.NodeClaims().Create(templ));
  StartControllers(false);
  RunFor(seconds(1));
  auto claim = Claim("default-abcde");
  ASSERT_EQ(ConditionStatus(*claim, "Launched"), "True");

  // The kubelet registers, not yet ready, with the startup taint already on.
  api::Node node = MakeNode("node-1", claim->status.provider_id);
  node.spec.taints.push_back({"example.com/boot", "", core::TaintEffect::NoSchedule});
  ASSERT_TRUE(cluster_.Nodes().Create(node));
  RunFor(seconds(1));
  claim = Claim("default-abcde");
  EXPECT_EQ(ConditionStatus(*claim, "Registered"), "True");
  EXPECT_EQ(ConditionStatus(*claim, "Initialized"), "");
  EXPECT_EQ(claim->status.node_name, "node-1");
  auto registered = NodeNamed("node-1");
  EXPECT_THAT(registered->spec.taints,
              ElementsAre(core::Taint{"example.com/boot", "", core::TaintEffect::NoSchedule},
                          core::Taint{"dedicated", "x", core::TaintEffect::NoSchedule}));
  EXPECT_EQ(Label(registered->metadata, "team"), "a");
  EXPECT_EQ(Label(registered->metadata, kNodePoolLabel), "default");
  EXPECT_EQ(Label(registered->metadata, catalog::kLabelInstanceType), "large");
  EXPECT_EQ(Label(registered->metadata, kRegisteredLabel), "true");
  EXPECT_EQ(Label(registered->metadata, kInitializedLabel), "");
  EXPECT_THAT(registered->metadata.finalizers, ElementsAre("karpenter.sh/termination"));
  ASSERT_THAT(registered->metadata.owner_references, SizeIs(1));
  EXPECT_EQ(registered->metadata.owner_references[0].kind, "NodeClaim");
  EXPECT_EQ(registered->metadata.owner_references[0].uid, claim->metadata.uid);

  // Ready, but the startup taint is still there: not initialized.
  ASSERT_TRUE(cluster_.Nodes().Patch({"", "node-1"}, [](api::Node& n) {
    n.status.conditions[0].status = "True";
  }));
  RunFor(seconds(1));
  EXPECT_EQ(ConditionStatus(*Claim("default-abcde"), "Initialized"), "");
  // A DaemonSet removes the startup taint.
  ASSERT_TRUE(cluster_.Nodes().Patch({"", "node-1"}, [](api::Node& n) {
    std::erase_if(n.spec.taints, [](const core::Taint& t) { return t.key == "example.com/boot"; });
  }));
  RunFor(seconds(1));
  EXPECT_EQ(ConditionStatus(*Claim("default-abcde"), "Initialized"), "True");
  EXPECT_EQ(Label(NodeNamed("node-1")->metadata, kInitializedLabel), "true");
}

TEST_F(LifecycleTest, InitializationWaitsForRequestedExtendedResources) {
  api::NodeClaim templ = MakeNodeClaim("default-abcde", "f1");
  templ.spec.node_class_ref.name = "fpga";
  templ.spec.resource_requests.Set("example.com/fpga", core::Quantity::FromInt(1));
  ASSERT_TRUE(cluster_.NodeClaims().Create(templ));
  StartControllers(false);
  RunFor(seconds(1));
  const std::string provider_id = Claim("default-abcde")->status.provider_id;
  ASSERT_FALSE(provider_id.empty());
  ASSERT_TRUE(cluster_.Nodes().Create(MakeNode("node-1", provider_id, /*ready=*/true)));
  RunFor(seconds(1));
  EXPECT_EQ(ConditionStatus(*Claim("default-abcde"), "Registered"), "True");
  EXPECT_EQ(ConditionStatus(*Claim("default-abcde"), "Initialized"), "");
  ASSERT_TRUE(cluster_.Nodes().Patch({"", "node-1"}, [](api::Node& n) {
    n.status.allocatable.Set("example.com/fpga", core::Quantity::FromInt(1));
  }));
  RunFor(seconds(1));
  EXPECT_EQ(ConditionStatus(*Claim("default-abcde"), "Initialized"), "True");
}

TEST_F(LifecycleTest, UnregisteredClaimsAreDeletedAfterFifteenMinutesWithTheirInstance) {
  auto claim = LaunchClaim();
  const std::string provider_id = claim->status.provider_id;
  RunUntil(kStart + minutes(15) - seconds(1));
  claim = Claim("default-abcde");
  ASSERT_NE(claim, nullptr);
  EXPECT_FALSE(claim->metadata.deletion_timestamp.has_value());
  RunUntil(kStart + minutes(15));
  claim = Claim("default-abcde");
  ASSERT_NE(claim, nullptr);  // held by its finalizer while the instance shuts down
  EXPECT_TRUE(claim->metadata.deletion_timestamp.has_value());
  EXPECT_EQ(ConditionStatus(*claim, "InstanceTerminating"), "True");
  EXPECT_EQ(cloud_.Get(provider_id)->state, cloud::InstanceState::kShuttingDown);
  RunFor(minutes(1));
  EXPECT_EQ(Claim("default-abcde"), nullptr);
  EXPECT_EQ(cloud_.Get(provider_id).error().code, cloud::CloudErrorCode::kNotFound);
  EXPECT_THAT(cloud_.List(), IsEmpty());
}

TEST_F(LifecycleTest, DeletionWaitsForTheNodeThenTerminatesTheInstance) {
  auto claim = LaunchClaim();
  const std::string provider_id = claim->status.provider_id;
  ASSERT_TRUE(cluster_.Nodes().Create(MakeNode("node-1", provider_id, true)));
  RunFor(seconds(1));
  ASSERT_EQ(ConditionStatus(*Claim("default-abcde"), "Initialized"), "True");

  ASSERT_TRUE(cluster_.NodeClaims().Delete({"", "default-abcde"}));
  RunFor(minutes(2));
  // The Node is being deleted; until the termination controller lets it go, nothing else.
  auto node = NodeNamed("node-1");
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->metadata.deletion_timestamp.has_value());
  ASSERT_NE(Claim("default-abcde"), nullptr);
  EXPECT_THAT(Claim("default-abcde")->metadata.finalizers, ElementsAre("karpenter.sh/termination"));
  EXPECT_EQ(cloud_.Get(provider_id)->state, cloud::InstanceState::kRunning);

  // The termination controller's part: drained, the Node's finalizer goes.
  ASSERT_TRUE(cluster_.Nodes().Patch({"", "node-1"}, [](api::Node& n) { n.metadata.finalizers.clear(); }));
  RunFor(seconds(1));
  EXPECT_EQ(NodeNamed("node-1"), nullptr);
  ASSERT_NE(Claim("default-abcde"), nullptr);
  EXPECT_EQ(cloud_.Get(provider_id)->state, cloud::InstanceState::kShuttingDown);
  RunFor(cloud::SimulatedCloud::kShutdownTime + seconds(5));
  EXPECT_EQ(Claim("default-abcde"), nullptr);
  EXPECT_EQ(cloud_.Get(provider_id).error().code, cloud::CloudErrorCode::kNotFound);
}

TEST_F(LifecycleTest, ARestartedControllerDoesNotLaunchTwice) {
  // A controller launched the instance, then crashed before writing the NodeClaim's status.
  ASSERT_TRUE(cluster_.NodeClaims().Create(MakeNodeClaim("default-abcde")));
  auto launched = cloud_.Create(*Claim("default-abcde"));
  ASSERT_TRUE(launched);
  StartControllers();
  RunFor(seconds(1));
  auto claim = Claim("default-abcde");
  EXPECT_EQ(ConditionStatus(*claim, "Launched"), "True");
  EXPECT_EQ(claim->status.provider_id, launched->provider_id);
  EXPECT_EQ(cloud_.launches(), 1u);
  // And once more, after the status was written.
  StartControllers();
  RunFor(seconds(5));
  EXPECT_EQ(cloud_.launches(), 1u);
  EXPECT_THAT(Claims(), SizeIs(1));
  EXPECT_EQ(Claim("default-abcde")->status.provider_id, launched->provider_id);
}

}  // namespace
}  // namespace karpenter::controllers
