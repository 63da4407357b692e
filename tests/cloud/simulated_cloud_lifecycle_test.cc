// SimulatedCloud after launch: states on the clock, Delete, List, registration delays,
// interruptions, drift and cost.
#include <gtest/gtest.h>

#include "cloud/simulated_cloud.h"
#include "cloud_test_util.h"

namespace karpenter::cloud {
namespace {

using catalog::CapacityType;
using core::Operator;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using test_util::DefaultCatalog;
using test_util::MakeClaim;
using test_util::Req;

const core::Time kStart = core::Time{} + hours(1000);

class SimulatedCloudLifecycleTest : public ::testing::Test {
 protected:
  std::string Launch(const std::string& name,
                     std::vector<core::NodeSelectorRequirement> requirements = {}) {
    auto instance = cloud_.Create(MakeClaim(name, std::move(requirements)));
    EXPECT_TRUE(instance.has_value()) << (instance ? "" : instance.error().message);
    return instance ? instance->provider_id : "";
  }
  // The state Get reports; StateOf (Get without the copy) must always agree with it.
  InstanceState StateOf(const std::string& provider_id) {
    auto instance = cloud_.Get(provider_id);
    const std::optional<InstanceState> state = cloud_.StateOf(provider_id);
    EXPECT_EQ(state, instance ? std::optional(instance->state) : std::nullopt) << provider_id;
    return instance ? instance->state : InstanceState::kTerminated;
  }

  core::ManualClock clock_{kStart};
  SimulatedCloud cloud_{clock_, DefaultCatalog()};
};

TEST_F(SimulatedCloudLifecycleTest, PendingThenRunningAfterBoot) {
  const std::string id = Launch("claim-1");
  EXPECT_EQ(StateOf(id), InstanceState::kPending);
  clock_.Advance(SimulatedCloud::kBootTime - nanoseconds(1));
  EXPECT_EQ(StateOf(id), InstanceState::kPending);
  clock_.Advance(nanoseconds(1));
  EXPECT_EQ(StateOf(id), InstanceState::kRunning);
}

TEST_F(SimulatedCloudLifecycleTest, DeleteShutsDownThenTerminatesAfterThirtySeconds) {
  const std::string id = Launch("claim-1");
  clock_.Advance(minutes(1));
  ASSERT_TRUE(cloud_.Delete(id).has_value());
  EXPECT_EQ(StateOf(id), InstanceState::kShuttingDown);
  clock_.Advance(seconds(20));
  ASSERT_TRUE(cloud_.Delete(id).has_value());  // again while shutting down: no-op, no extension
  clock_.Advance(seconds(10) - nanoseconds(1));
  EXPECT_EQ(StateOf(id), InstanceState::kShuttingDown);
  EXPECT_EQ(cloud_.List().size(), 1u);
  clock_.Advance(nanoseconds(1));
  auto gone = cloud_.Get(id);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code, CloudErrorCode::kNotFound);
  EXPECT_TRUE(cloud_.List().empty());
  auto again = cloud_.Delete(id);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, CloudErrorCode::kNotFound);
}

TEST_F(SimulatedCloudLifecycleTest, DeleteOfAnUnknownInstanceIsNotFound) {
  auto result = cloud_.Delete("aws:///zone-a/i-00000000000000009");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, CloudErrorCode::kNotFound);
}

TEST_F(SimulatedCloudLifecycleTest, ListReturnsLiveInstancesByProviderId) {
  const std::string b =
      Launch("claim-1", {Req("topology.kubernetes.io/zone", Operator::In, {"zone-b"})});
  const std::string a1 = Launch("claim-2");
  const std::string a2 = Launch("claim-3");
  ASSERT_TRUE(cloud_.Delete(a1).has_value());
  clock_.Advance(SimulatedCloud::kShutdownTime);
  std::vector<Instance> live = cloud_.List();
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].provider_id, a2);
  EXPECT_EQ(live[0].state, InstanceState::kRunning);
  EXPECT_EQ(live[1].provider_id, b);
}

TEST_F(SimulatedCloudLifecycleTest, ForEachInstanceVisitsWhatListReturnsWithTheCurrentState) {
  const std::string a = Launch("claim-1");
  const std::string b = Launch("claim-2");
  ASSERT_TRUE(cloud_.Delete(a).has_value());
  clock_.Advance(SimulatedCloud::kBootTime);
  std::vector<std::pair<std::string, InstanceState>> visited;
  cloud_.ForEachInstance([&](const Instance& instance) {
    visited.emplace_back(instance.provider_id, instance.state);
  });
  const std::vector<std::pair<std::string, InstanceState>> expected = {
      {a, InstanceState::kShuttingDown}, {b, InstanceState::kRunning}};
  EXPECT_EQ(visited, expected);
  clock_.Advance(SimulatedCloud::kShutdownTime);
  visited.clear();
  cloud_.ForEachInstance([&](const Instance& instance) {
    visited.emplace_back(instance.provider_id, instance.state);
  });
  EXPECT_EQ(visited,
            (std::vector<std::pair<std::string, InstanceState>>{{b, InstanceState::kRunning}}));
}

TEST_F(SimulatedCloudLifecycleTest, RevisionGrowsWithEveryChangeButNotWithTheClock) {
  const uint64_t start = cloud_.revision();
  const std::string a = Launch("claim-1");
  EXPECT_EQ(cloud_.revision(), start + 1);
  (void)cloud_.Create(MakeClaim("claim-1"));  // idempotent: nothing launched
  EXPECT_EQ(cloud_.revision(), start + 1);
  clock_.Advance(minutes(1));  // pending -> running is the clock's doing
  EXPECT_EQ(cloud_.revision(), start + 1);
  ASSERT_TRUE(cloud_.Interrupt(a).has_value());
  EXPECT_EQ(cloud_.revision(), start + 2);
  ASSERT_TRUE(cloud_.Delete(a).has_value());
  EXPECT_EQ(cloud_.revision(), start + 3);
  clock_.Advance(minutes(3));
  cloud_.Tick();  // forgets the terminated instance
  EXPECT_EQ(cloud_.revision(), start + 4);
}

TEST_F(SimulatedCloudLifecycleTest, ATerminatedClaimIsLaunchedAnewAndTickKeepsReadsUnchanged) {
  const std::string first = Launch("claim-1");
  ASSERT_TRUE(cloud_.Delete(first).has_value());
  clock_.Advance(minutes(1));
  EXPECT_TRUE(cloud_.List().empty());
  cloud_.Tick();
  EXPECT_TRUE(cloud_.List().empty());
  EXPECT_FALSE(cloud_.Get(first).has_value());
  const std::string second = Launch("claim-1");
  EXPECT_EQ(second, "aws:///zone-a/i-00000000000000002");
}

TEST_F(SimulatedCloudLifecycleTest, RegistrationDelaysAndNodesThatNeverRegister) {
  const std::string default_delay = Launch("claim-1");
  cloud_.SetRegistrationDelay(seconds(90));
  cloud_.NeverRegisterNextLaunches(1);
  const std::string never = Launch("claim-2");
  const std::string slow = Launch("claim-3");
  cloud_.NeverRegister("claim-4");
  const std::string named = Launch("claim-4");

  EXPECT_EQ(cloud_.RegistrationDelay(default_delay), std::optional<core::Duration>(seconds(30)));
  EXPECT_EQ(cloud_.RegistrationDelay(never), std::nullopt);
  EXPECT_EQ(cloud_.RegistrationDelay(slow), std::optional<core::Duration>(seconds(90)));
  EXPECT_EQ(cloud_.RegistrationDelay(named), std::nullopt);
  EXPECT_EQ(cloud_.RegistrationDelay("aws:///zone-a/i-00000000000000099"), std::nullopt);

  // NeverRegister also applies to an instance already launched for the name.
  cloud_.NeverRegister("claim-1");
  EXPECT_EQ(cloud_.RegistrationDelay(default_delay), std::nullopt);
}

TEST_F(SimulatedCloudLifecycleTest, InterruptionIsReceivedOnceAndTerminatesAfterTwoMinutes) {
  const std::string id = Launch("claim-1");
  clock_.Advance(minutes(10));
  const core::Time warned = clock_.Now();
  auto warning = cloud_.Interrupt(id);
  ASSERT_TRUE(warning.has_value());
  EXPECT_EQ(warning->terminate_at, warned + minutes(2));

  std::vector<InterruptionWarning> received = cloud_.ReceiveInterruptions();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].provider_id, id);
  EXPECT_EQ(received[0].warned_at, warned);
  EXPECT_EQ(received[0].terminate_at, warned + minutes(2));
  EXPECT_TRUE(cloud_.ReceiveInterruptions().empty());

  clock_.Advance(minutes(2) - nanoseconds(1));
  EXPECT_EQ(StateOf(id), InstanceState::kRunning);
  clock_.Advance(nanoseconds(1));
  EXPECT_FALSE(cloud_.Get(id).has_value());
  EXPECT_TRUE(cloud_.List().empty());
  auto again = cloud_.Interrupt(id);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, CloudErrorCode::kNotFound);
}

TEST_F(SimulatedCloudLifecycleTest, InterruptionDoesNotDelayAnEarlierShutdown) {
  const std::string id = Launch("claim-1");
  ASSERT_TRUE(cloud_.Delete(id).has_value());
  ASSERT_TRUE(cloud_.Interrupt(id).has_value());
  clock_.Advance(SimulatedCloud::kShutdownTime);
  EXPECT_FALSE(cloud_.Get(id).has_value());
}

TEST_F(SimulatedCloudLifecycleTest, DeleteDoesNotDelayAnInterruption) {
  const std::string id = Launch("claim-1");
  ASSERT_TRUE(cloud_.Interrupt(id).has_value());
  clock_.Advance(minutes(2) - seconds(10));
  ASSERT_TRUE(cloud_.Delete(id).has_value());
  EXPECT_EQ(StateOf(id), InstanceState::kShuttingDown);
  clock_.Advance(seconds(10));
  EXPECT_FALSE(cloud_.Get(id).has_value());
}

TEST_F(SimulatedCloudLifecycleTest, AmiDriftWhenTheNodeClassImageChanges) {
  api::NodeClaim claim = MakeClaim("claim-1");
  auto instance = cloud_.Create(claim);
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(cloud_.IsDrifted(claim), std::nullopt);

  cloud_.SetImage("default", "ami-2");
  EXPECT_EQ(cloud_.Image("default"), "ami-2");
  EXPECT_EQ(cloud_.IsDrifted(claim), std::optional<std::string>("AMIDrift"));
  claim.status.provider_id = instance->provider_id;  // found by provider id as well
  EXPECT_EQ(cloud_.IsDrifted(claim), std::optional<std::string>("AMIDrift"));

  api::NodeClaim fresh = MakeClaim("claim-2");
  auto current = cloud_.Create(fresh);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->image_id, "ami-2");
  EXPECT_EQ(cloud_.IsDrifted(fresh), std::nullopt);
  EXPECT_EQ(cloud_.IsDrifted(MakeClaim("unknown")), std::nullopt);
}

TEST_F(SimulatedCloudLifecycleTest, CostCountsEachInstanceFromLaunchToTermination) {
  const std::string spot = Launch("claim-1");  // small spot, $0.04/h
  const std::string on_demand = Launch(
      "claim-2", {Req("karpenter.sh/capacity-type", Operator::In, {"on-demand"})});  // $0.10/h
  EXPECT_DOUBLE_EQ(cloud_.CostSoFar(), 0.0);
  clock_.Advance(hours(1));
  EXPECT_DOUBLE_EQ(cloud_.CostSoFar(), 0.14);
  ASSERT_TRUE(cloud_.Delete(on_demand).has_value());  // terminated 30 s later
  clock_.Advance(hours(2));
  const double expected = 0.04 * 3 + 0.10 * (1 + 30.0 / 3600);
  EXPECT_DOUBLE_EQ(cloud_.CostSoFar(), expected);
  cloud_.Tick();  // forgetting the terminated instance keeps its cost
  EXPECT_DOUBLE_EQ(cloud_.CostSoFar(), expected);
}

}  // namespace
}  // namespace karpenter::cloud
