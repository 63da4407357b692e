// SimulatedCloud launches: which offering Create picks, idempotency, ids, labels, capacity
// errors and injected failures. Lifecycle, interruptions, drift and cost are in
// simulated_cloud_lifecycle_test.cc.
#include "cloud/simulated_cloud.h"

#include <gtest/gtest.h>

#include "cloud_test_util.h"

namespace karpenter::cloud {
namespace {

using catalog::CapacityType;
using catalog::OfferingKey;
using core::Operator;
using test_util::DefaultCatalog;
using test_util::MakeCatalog;
using test_util::MakeClaim;
using test_util::MakeType;
using test_util::Offer;
using test_util::Req;

const core::Time kStart = core::Time{} + std::chrono::hours(1000);

class SimulatedCloudTest : public ::testing::Test {
 protected:
  core::ManualClock clock_{kStart};
  SimulatedCloud cloud_{clock_, DefaultCatalog()};
};

TEST(CloudToStringTest, NamesCodesAndStates) {
  EXPECT_EQ(ToString(CloudErrorCode::kInsufficientCapacity), "InsufficientCapacity");
  EXPECT_EQ(ToString(CloudErrorCode::kLaunchFailed), "LaunchFailed");
  EXPECT_EQ(ToString(CloudErrorCode::kNotFound), "NotFound");
  EXPECT_EQ(ToString(CloudErrorCode::kInvalid), "Invalid");
  EXPECT_EQ(ToString(InstanceState::kPending), "pending");
  EXPECT_EQ(ToString(InstanceState::kRunning), "running");
  EXPECT_EQ(ToString(InstanceState::kShuttingDown), "shutting-down");
  EXPECT_EQ(ToString(InstanceState::kTerminated), "terminated");
}

TEST_F(SimulatedCloudTest, LaunchesCheapestOfferingAsSpotWhenAllowed) {
  auto instance = cloud_.Create(MakeClaim("claim-1"));
  ASSERT_TRUE(instance.has_value()) << instance.error().message;
  EXPECT_EQ(instance->provider_id, "aws:///zone-a/i-00000000000000001");
  EXPECT_EQ(instance->node_claim, "claim-1");
  EXPECT_EQ(instance->node_pool, "default");
  EXPECT_EQ(instance->instance_type, "small");
  EXPECT_EQ(instance->zone, "zone-a");
  EXPECT_EQ(instance->capacity_type, CapacityType::kSpot);
  EXPECT_DOUBLE_EQ(instance->price_per_hour, 0.04);
  EXPECT_EQ(instance->image_id, "ami-simulated");
  EXPECT_EQ(instance->launch_time, kStart);
  EXPECT_EQ(instance->state, InstanceState::kPending);
  EXPECT_EQ(instance->capacity.Get("cpu"), core::Quantity::FromInt(2));
  EXPECT_EQ(instance->allocatable.Get("cpu"), core::Quantity::FromInt(1));
  EXPECT_EQ(cloud_.launches(), 1u);
}

TEST_F(SimulatedCloudTest, LabelsInstanceWithTypeLabelsZoneCapacityTypeAndNodePool) {
  auto instance = cloud_.Create(MakeClaim("claim-1"));
  ASSERT_TRUE(instance.has_value());
  const core::Labels expected = {
      {"karpenter.k8s.aws/instance-cpu", "2"},       {"karpenter.sh/capacity-type", "spot"},
      {"karpenter.sh/nodepool", "default"},          {"kubernetes.io/arch", "amd64"},
      {"node.kubernetes.io/instance-type", "small"}, {"topology.kubernetes.io/zone", "zone-a"}};
  EXPECT_EQ(instance->labels, expected);
}

TEST_F(SimulatedCloudTest, LaunchesOnDemandWhenSpotIsNotAllowed) {
  auto instance = cloud_.Create(
      MakeClaim("claim-1", {Req("karpenter.sh/capacity-type", Operator::In, {"on-demand"})}));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->instance_type, "small");
  EXPECT_EQ(instance->capacity_type, CapacityType::kOnDemand);
  EXPECT_DOUBLE_EQ(instance->price_per_hour, 0.10);
}

TEST_F(SimulatedCloudTest, HonoursZoneAndInstanceTypeInLists) {
  auto instance = cloud_.Create(MakeClaim(
      "claim-1", {Req("topology.kubernetes.io/zone", Operator::In, {"zone-b"}),
                  Req("node.kubernetes.io/instance-type", Operator::In, {"medium", "large"})}));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->provider_id, "aws:///zone-b/i-00000000000000001");
  EXPECT_EQ(instance->instance_type, "medium");
  EXPECT_EQ(instance->zone, "zone-b");
  EXPECT_EQ(instance->capacity_type, CapacityType::kSpot);
}

TEST_F(SimulatedCloudTest, HonoursNotInAndTypeLabels) {
  auto instance = cloud_.Create(
      MakeClaim("claim-1", {Req("node.kubernetes.io/instance-type", Operator::NotIn, {"small"}),
                            Req("karpenter.k8s.aws/instance-cpu", Operator::Gt, {"4"})}));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->instance_type, "large");
}

TEST_F(SimulatedCloudTest, PicksTheCheapestTypeWhoseAllocatableFitsTheRequests) {
  // small has 1 allocatable cpu, medium 3, large 7.
  auto medium = cloud_.Create(MakeClaim("claim-1", {}, 3));
  ASSERT_TRUE(medium.has_value());
  EXPECT_EQ(medium->instance_type, "medium");
  auto large = cloud_.Create(MakeClaim("claim-2", {}, 4));
  ASSERT_TRUE(large.has_value());
  EXPECT_EQ(large->instance_type, "large");
  auto none = cloud_.Create(MakeClaim("claim-3", {}, 8));
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, CloudErrorCode::kInvalid);
  EXPECT_EQ(cloud_.launches(), 2u);
}

TEST_F(SimulatedCloudTest, RejectsClaimsThatCannotLaunch) {
  auto unknown_type = cloud_.Create(
      MakeClaim("claim-1", {Req("node.kubernetes.io/instance-type", Operator::In, {"huge"})}));
  ASSERT_FALSE(unknown_type.has_value());
  EXPECT_EQ(unknown_type.error().code, CloudErrorCode::kInvalid);
  EXPECT_EQ(unknown_type.error().message,
            "NodeClaim claim-1: no instance type offering satisfies requirements "
            "[node.kubernetes.io/instance-type In [huge]] and requests {}");

  auto bad = cloud_.Create(
      MakeClaim("claim-2", {Req("karpenter.k8s.aws/instance-cpu", Operator::Gt, {"two"})}));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, CloudErrorCode::kInvalid);

  auto unnamed = cloud_.Create(MakeClaim(""));
  ASSERT_FALSE(unnamed.has_value());
  EXPECT_EQ(unnamed.error().code, CloudErrorCode::kInvalid);
  EXPECT_EQ(cloud_.launches(), 0u);
}

TEST_F(SimulatedCloudTest, CreateIsIdempotentOnTheNodeClaimName) {
  auto first = cloud_.Create(MakeClaim("claim-1"));
  clock_.Advance(std::chrono::seconds(10));
  auto again = cloud_.Create(MakeClaim("claim-1", {}, 3));  // same name: no new launch
  auto other = cloud_.Create(MakeClaim("claim-2"));
  ASSERT_TRUE(first && again && other);
  EXPECT_EQ(again->provider_id, first->provider_id);
  EXPECT_EQ(again->instance_type, "small");
  EXPECT_EQ(again->state, InstanceState::kRunning);
  EXPECT_EQ(other->provider_id, "aws:///zone-a/i-00000000000000002");
  EXPECT_EQ(cloud_.launches(), 2u);
}

TEST_F(SimulatedCloudTest, InstanceIdsAreSeventeenHexDigitsOfACounter) {
  std::string last;
  for (int i = 1; i <= 26; ++i) {
    auto instance = cloud_.Create(MakeClaim("claim-" + std::to_string(i)));
    ASSERT_TRUE(instance.has_value());
    last = instance->provider_id;
  }
  EXPECT_EQ(last, "aws:///zone-a/i-0000000000000001a");
}

TEST_F(SimulatedCloudTest, SpotIsChosenWhenNoDearerThanTheCheapestOnDemand) {
  SimulatedCloud cloud(
      clock_, MakeCatalog({MakeType("od", 2, 4, {Offer("z", CapacityType::kOnDemand, 0.05)}),
                           MakeType("sp", 2, 4, {Offer("z", CapacityType::kSpot, 0.05)})}));
  auto instance = cloud.Create(MakeClaim("claim-1"));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->instance_type, "sp");
  EXPECT_EQ(instance->capacity_type, CapacityType::kSpot);
}

TEST_F(SimulatedCloudTest, SpotTypesDearerThanTheCheapestOnDemandAreDropped) {
  SimulatedCloud cloud(
      clock_, MakeCatalog({MakeType("od", 2, 4, {Offer("z", CapacityType::kOnDemand, 0.05)}),
                           MakeType("sp", 2, 4, {Offer("z", CapacityType::kSpot, 0.06)})}));
  auto instance = cloud.Create(MakeClaim("claim-1"));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->instance_type, "od");
  EXPECT_EQ(instance->capacity_type, CapacityType::kOnDemand);
  // With only spot allowed the rule does not apply.
  auto spot = cloud.Create(
      MakeClaim("claim-2", {Req("karpenter.sh/capacity-type", Operator::In, {"spot"})}));
  ASSERT_TRUE(spot.has_value());
  EXPECT_EQ(spot->instance_type, "sp");
}

TEST_F(SimulatedCloudTest, ReservedIsPreferredWhenAllowed) {
  SimulatedCloud cloud(
      clock_, MakeCatalog({MakeType(
                  "t", 2, 4,
                  {Offer("z", CapacityType::kSpot, 0.04), Offer("z", CapacityType::kReserved, 0.09),
                   Offer("z", CapacityType::kOnDemand, 0.10)})}));
  auto reserved = cloud.Create(MakeClaim("claim-1", {Req("karpenter.sh/capacity-type", Operator::In,
                                                         {"reserved", "spot", "on-demand"})}));
  ASSERT_TRUE(reserved.has_value());
  EXPECT_EQ(reserved->capacity_type, CapacityType::kReserved);
  auto spot = cloud.Create(MakeClaim(
      "claim-2", {Req("karpenter.sh/capacity-type", Operator::In, {"spot", "on-demand"})}));
  ASSERT_TRUE(spot.has_value());
  EXPECT_EQ(spot->capacity_type, CapacityType::kSpot);
}

TEST_F(SimulatedCloudTest, SkipsStaticallyUnavailableOfferings) {
  SimulatedCloud cloud(clock_,
                       MakeCatalog({MakeType("t", 2, 4,
                                             {Offer("zone-a", CapacityType::kSpot, 0.01, false),
                                              Offer("zone-b", CapacityType::kSpot, 0.02)})}));
  auto instance = cloud.Create(MakeClaim("claim-1"));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->zone, "zone-b");
}

TEST_F(SimulatedCloudTest,
       InsufficientCapacityFallsBackToTheNextOfferingAndMarksItForThreeMinutes) {
  cloud_.InjectInsufficientCapacity("small", "zone-a", CapacityType::kSpot);
  auto instance = cloud_.Create(MakeClaim("claim-1"));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->instance_type, "small");
  EXPECT_EQ(instance->zone, "zone-b");
  EXPECT_EQ(instance->capacity_type, CapacityType::kSpot);

  const OfferingKey key{"small", "zone-a", CapacityType::kSpot};
  const catalog::UnavailableOfferings& cache = std::as_const(cloud_).unavailable_offerings();
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.seq_num(), 1u);
  EXPECT_FALSE(cache.IsAvailable(key, kStart + std::chrono::minutes(3)));
  EXPECT_TRUE(
      cache.IsAvailable(key, kStart + std::chrono::minutes(3) + std::chrono::nanoseconds(1)));

  // While marked, a launch skips it without trying (no new mark).
  clock_.Advance(std::chrono::minutes(1));
  auto second = cloud_.Create(MakeClaim("claim-2"));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->zone, "zone-b");
  EXPECT_EQ(cache.seq_num(), 1u);
}

TEST_F(SimulatedCloudTest,
       InsufficientCapacityOnEveryOptionFailsAndTheNextLaunchFallsBackToOnDemand) {
  const auto only_small = Req("node.kubernetes.io/instance-type", Operator::In, {"small"});
  cloud_.InjectInsufficientCapacity("small", "zone-a", CapacityType::kSpot);
  cloud_.InjectInsufficientCapacity("small", "zone-b", CapacityType::kSpot);
  auto failed = cloud_.Create(MakeClaim("claim-1", {only_small}));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, CloudErrorCode::kInsufficientCapacity);
  EXPECT_EQ(failed.error().message,
            "NodeClaim claim-1: insufficient capacity for small/zone-a/spot, small/zone-b/spot");
  EXPECT_EQ(cloud_.launches(), 0u);

  auto on_demand = cloud_.Create(MakeClaim("claim-1", {only_small}));
  ASSERT_TRUE(on_demand.has_value());
  EXPECT_EQ(on_demand->capacity_type, CapacityType::kOnDemand);
  EXPECT_EQ(on_demand->zone, "zone-a");

  // Once cleared and expired, spot is used again.
  cloud_.ClearAllInsufficientCapacity();
  clock_.Advance(std::chrono::minutes(3) + std::chrono::seconds(1));
  auto spot = cloud_.Create(MakeClaim("claim-2", {only_small}));
  ASSERT_TRUE(spot.has_value());
  EXPECT_EQ(spot->capacity_type, CapacityType::kSpot);
}

TEST_F(SimulatedCloudTest, EveryCompatibleOfferingMarkedUnavailableIsInsufficientCapacity) {
  for (const char* zone : {"zone-a", "zone-b"}) {
    for (CapacityType type : {CapacityType::kSpot, CapacityType::kOnDemand}) {
      cloud_.unavailable_offerings().MarkUnavailable({"small", zone, type}, kStart);
    }
  }
  auto failed = cloud_.Create(
      MakeClaim("claim-1", {Req("node.kubernetes.io/instance-type", Operator::In, {"small"})}));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, CloudErrorCode::kInsufficientCapacity);
  EXPECT_EQ(failed.error().message,
            "NodeClaim claim-1: all 4 compatible offerings are marked unavailable after capacity "
            "errors");
}

TEST_F(SimulatedCloudTest, ClearingInsufficientCapacityLetsAnExpiredOfferingLaunchAgain) {
  cloud_.InjectInsufficientCapacity("small", "zone-a", CapacityType::kSpot);
  ASSERT_TRUE(cloud_.Create(MakeClaim("claim-1")).has_value());
  cloud_.ClearInsufficientCapacity("small", "zone-a", CapacityType::kSpot);
  clock_.Advance(std::chrono::minutes(4));
  auto instance = cloud_.Create(MakeClaim("claim-2"));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->zone, "zone-a");
}

TEST_F(SimulatedCloudTest, FailNextLaunchesFailsThatManyLaunches) {
  ASSERT_TRUE(cloud_.Create(MakeClaim("claim-0")).has_value());
  cloud_.FailNextLaunches(2, "throttled");
  // Returning an existing instance is not a launch and does not use up a failure.
  ASSERT_TRUE(cloud_.Create(MakeClaim("claim-0")).has_value());
  for (const char* name : {"claim-1", "claim-1"}) {
    auto failed = cloud_.Create(MakeClaim(name));
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, CloudErrorCode::kLaunchFailed);
    EXPECT_EQ(failed.error().message, "throttled");
  }
  auto instance = cloud_.Create(MakeClaim("claim-1"));
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->provider_id, "aws:///zone-a/i-00000000000000002");
}

TEST_F(SimulatedCloudTest, LaunchesFromTheNodeClassCatalog) {
  auto gpu_catalog =
      MakeCatalog({MakeType("g1", 8, 32, {Offer("zone-c", CapacityType::kOnDemand, 1.0)})});
  SimulatedCloud cloud(clock_, DefaultCatalog(), {{"gpu", gpu_catalog}});
  api::NodeClaim claim = MakeClaim("claim-1");
  claim.spec.node_class_ref.name = "gpu";
  auto instance = cloud.Create(claim);
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->instance_type, "g1");
  EXPECT_EQ(instance->provider_id, "aws:///zone-c/i-00000000000000001");

  api::NodePool pool;
  pool.spec.template_.spec.node_class_ref.name = "gpu";
  EXPECT_EQ(cloud.InstanceTypes(pool), gpu_catalog);
  pool.spec.template_.spec.node_class_ref.name = "default";
  EXPECT_EQ(cloud.InstanceTypes(pool)->size(), 3u);
}

}  // namespace
}  // namespace karpenter::cloud
