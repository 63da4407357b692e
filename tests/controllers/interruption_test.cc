#include "controllers/interruption.h"

#include <gtest/gtest.h>

#include <string>

#include "catalog/unavailable_offerings.h"
#include "controllers/termination.h"
#include "provisioning_fixture.h"

namespace karpenter::controllers {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace)

using catalog::CapacityType;
using catalog::OfferingKey;
using catalog::UnavailableOfferings;

class InterruptionTest : public ControllerFixture {
 protected:
  InterruptionController* StartInterruption() {
    return InterruptionController::Register(*manager_, cluster_, cloud_, clock_);
  }
  bool Available(const OfferingKey& key, core::Time at) {
    return cloud_.unavailable_offerings().IsAvailable(key, at);
  }
};

TEST_F(InterruptionTest, MarksTheReclaimedOfferingAndDeletesTheNodeClaim) {
  StartControllers(/*with_provisioner=*/false);
  InterruptionController* interruption = StartInterruption();
  ASSERT_NE(interruption, nullptr);
  EXPECT_EQ(InterruptionController::Register(*manager_, cluster_, cloud_, clock_), nullptr);
  api::NodeClaim claim = MakeNodeClaim("spot-1", "large");
  claim.spec.requirements[1].values = {"spot"};
  ASSERT_TRUE(cluster_.NodeClaims().Create(claim));
  RunFor(seconds(1));
  auto launched = Claim("spot-1");
  ASSERT_EQ(ConditionStatus(*launched, kConditionLaunched), "True");
  EXPECT_EQ(Label(launched->metadata, catalog::kLabelZone), "zone-a");
  EXPECT_EQ(Label(launched->metadata, catalog::kLabelCapacityType), "spot");

  ASSERT_TRUE(cloud_.Interrupt(launched->status.provider_id));
  RunFor(seconds(2));  // the poll at 2 s receives the warning
  const core::Time marked_at = kStart + seconds(2);
  EXPECT_EQ(interruption->counts().received, 1u);
  EXPECT_EQ(interruption->counts().handled, 1u);
  EXPECT_EQ(interruption->counts().ignored, 0u);
  EXPECT_EQ(interruption->counts().deleted, 1u);
  EXPECT_EQ(interruption->counts().offerings_marked, 1u);
  auto deleting = Claim("spot-1");
  ASSERT_NE(deleting, nullptr);
  EXPECT_TRUE(deleting->metadata.deletion_timestamp.has_value());
  const OfferingKey reclaimed{"large", "zone-a", CapacityType::kSpot};
  EXPECT_FALSE(Available(reclaimed, marked_at));
  EXPECT_FALSE(Available(reclaimed, marked_at + UnavailableOfferings::kDefaultTtl));
  EXPECT_TRUE(Available(reclaimed, marked_at + UnavailableOfferings::kDefaultTtl + seconds(1)));
  EXPECT_TRUE(Available({"large", "zone-b", CapacityType::kSpot}, marked_at));
  EXPECT_TRUE(Available({"large", "zone-a", CapacityType::kOnDemand}, marked_at));

  // A second warning for the instance (still shutting down): the offering is marked again,
  // the NodeClaim, already being deleted, is left alone.
  ASSERT_TRUE(cloud_.Interrupt(launched->status.provider_id));
  RunFor(seconds(2));
  EXPECT_EQ(interruption->counts().handled, 2u);
  EXPECT_EQ(interruption->counts().deleted, 1u);
  EXPECT_EQ(interruption->counts().offerings_marked, 2u);
}

TEST_F(InterruptionTest, IgnoresInstancesNoNodeClaimNames) {
  StartControllers(/*with_provisioner=*/false);
  InterruptionController* interruption = StartInterruption();
  auto ghost = cloud_.Create(MakeNodeClaim("ghost", "small"));  // no NodeClaim object
  ASSERT_TRUE(ghost);
  ASSERT_TRUE(cloud_.Interrupt(ghost->provider_id));
  RunFor(seconds(2));
  EXPECT_EQ(interruption->counts().received, 1u);
  EXPECT_EQ(interruption->counts().ignored, 1u);
  EXPECT_EQ(interruption->counts().handled, 0u);
  EXPECT_EQ(interruption->counts().offerings_marked, 0u);
  EXPECT_EQ(cloud_.unavailable_offerings().size(), 0u);
}

TEST_F(InterruptionTest, PollsEveryTwoSeconds) {
  StartControllers(/*with_provisioner=*/false);
  InterruptionController* interruption = StartInterruption();
  EXPECT_EQ(interruption->poll_interval(), seconds(2));
  EXPECT_EQ(manager_->NextDue(), kStart);
  RunFor(seconds(10));
  EXPECT_EQ(manager_->reconcile_counts().at("interruption"), 6u);  // 0, 2, 4, 6, 8, 10 s
  EXPECT_EQ(manager_->NextDue(), kStart + seconds(12));
  EXPECT_EQ(InterruptionController(cluster_, cloud_, seconds(0)).poll_interval(), seconds(2));
}

// The whole path: the warning deletes the NodeClaim, termination drains the node, the
// lifecycle controller terminates the instance, and the pod's replacement is launched away
// from the reclaimed offering.
TEST_F(InterruptionTest, DrainsTheNodeAndReplacesItElsewhere) {
  ASSERT_TRUE(cluster_.NodePools().Create(MakeNodePool({"spot"})));
  StartControllers();
  RegisterTermination(*manager_, cluster_, clock_);
  InterruptionController* interruption = StartInterruption();
  CreatePods(1);
  RunFor(seconds(15));
  ASSERT_EQ(Claims().size(), 1u);
  const std::string first = Claims()[0]->metadata.name;
  const std::string provider_id = Claims()[0]->status.provider_id;
  EXPECT_EQ(Label(Claims()[0]->metadata, catalog::kLabelInstanceType), "small");
  EXPECT_EQ(Label(Claims()[0]->metadata, catalog::kLabelZone), "zone-a");
  ASSERT_TRUE(cluster_.Nodes().Create(MakeNode("node-1", provider_id, /*ready=*/true)));
  RunFor(seconds(1));
  ASSERT_EQ(ConditionStatus(*Claim(first), kConditionRegistered), "True");
  ASSERT_TRUE(cluster_.Bind({"default", "p0"}, "node-1"));

  ASSERT_TRUE(cloud_.Interrupt(provider_id));
  RunFor(seconds(10));
  EXPECT_EQ(interruption->counts().deleted, 1u);
  EXPECT_FALSE(cluster_.Pods().Get({"default", "p0"}));  // evicted
  EXPECT_EQ(NodeNamed("node-1"), nullptr);               // drained and gone

  // The pod's owner recreates it; the replacement avoids small/zone-a/spot.
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("p0-again")));
  RunFor(seconds(60));
  const auto claims = Claims();
  ASSERT_EQ(claims.size(), 1u);  // the interrupted one is gone
  EXPECT_NE(claims[0]->metadata.name, first);
  EXPECT_EQ(ConditionStatus(*claims[0], kConditionLaunched), "True");
  EXPECT_EQ(Label(claims[0]->metadata, catalog::kLabelInstanceType), "small");
  EXPECT_EQ(Label(claims[0]->metadata, catalog::kLabelZone), "zone-b");
  EXPECT_EQ(Label(claims[0]->metadata, catalog::kLabelCapacityType), "spot");
}

}  // namespace
}  // namespace karpenter::controllers
