#include "controllers/garbage_collection.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "provisioning_fixture.h"

namespace karpenter::controllers {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace)

class GarbageCollectionTest : public ControllerFixture {
 protected:
  // A manager with only the collector (no lifecycle controller touching the NodeClaims).
  void StartCollector() {
    manager_ = std::make_unique<Manager>(clock_);
    gc_ = GarbageCollectionController::Register(*manager_, cluster_, cloud_, clock_);
    ASSERT_NE(gc_, nullptr);
  }
  // An instance launched for `claim_name` without a NodeClaim object.
  std::string Launch(const std::string& claim_name) {
    auto instance = cloud_.Create(MakeNodeClaim(claim_name, "small"));
    EXPECT_TRUE(instance);
    return instance ? instance->provider_id : "";
  }
  // A NodeClaim as the lifecycle controller leaves it once registered.
  void AddRegisteredClaim(const std::string& name, const std::string& provider_id,
                          bool registered = true) {
    api::NodeClaim claim = MakeNodeClaim(name);
    claim.status.provider_id = provider_id;
    claim.status.node_name = "node-" + name;
    if (registered) SetCondition(claim.status.conditions, kConditionRegistered, "True", kStart);
    ASSERT_TRUE(cluster_.NodeClaims().Create(claim));
  }
  api::Node KarpenterNode(const std::string& name, const std::string& provider_id) {
    api::Node node = MakeNode(name, provider_id, /*ready=*/true);
    node.metadata.labels[std::string(kNodePoolLabel)] = "default";
    return node;
  }
  cloud::InstanceState State(const std::string& provider_id) {
    auto instance = cloud_.Get(provider_id);
    return instance ? instance->state : cloud::InstanceState::kTerminated;
  }

  GarbageCollectionController* gc_ = nullptr;
};

TEST_F(GarbageCollectionTest, TerminatesALeakedInstanceAndItsNodeAfterTheGracePeriod) {
  const std::string leaked = Launch("leaked");
  ASSERT_TRUE(cluster_.Nodes().Create(KarpenterNode("node-leaked", leaked)));
  StartCollector();
  RunFor(seconds(35));  // passes at 0, 10, 20, 30 s: 30 s old is not yet more than 30 s
  EXPECT_EQ(gc_->counts().passes, 4u);
  EXPECT_EQ(gc_->counts().instances_terminated, 0u);
  EXPECT_EQ(State(leaked), cloud::InstanceState::kRunning);
  ASSERT_NE(NodeNamed("node-leaked"), nullptr);

  RunFor(seconds(10));  // pass at 40 s
  EXPECT_EQ(gc_->counts().instances_terminated, 1u);
  EXPECT_EQ(gc_->counts().nodes_deleted, 1u);
  EXPECT_EQ(State(leaked), cloud::InstanceState::kShuttingDown);
  EXPECT_EQ(NodeNamed("node-leaked"), nullptr);
}

TEST_F(GarbageCollectionTest, KeepsInstancesANodeClaimClaims) {
  const std::string launched = Launch("launched");
  AddRegisteredClaim("launched", launched);
  // Launched, but its NodeClaim's status does not name it yet: the lifecycle adopts it.
  const std::string adopting = Launch("adopting");
  ASSERT_TRUE(cluster_.NodeClaims().Create(MakeNodeClaim("adopting")));
  StartCollector();
  RunFor(minutes(5));
  EXPECT_EQ(gc_->counts().instances_terminated, 0u);
  EXPECT_EQ(gc_->counts().node_claims_deleted, 0u);
  EXPECT_EQ(State(launched), cloud::InstanceState::kRunning);
  EXPECT_EQ(State(adopting), cloud::InstanceState::kRunning);
}

TEST_F(GarbageCollectionTest, DeletesRegisteredNodeClaimsWhoseInstanceIsGone) {
  AddRegisteredClaim("gone", "aws:///zone-a/i-00000000000000099");
  ASSERT_TRUE(
      cluster_.Nodes().Create(MakeNode("node-gone", "aws:///zone-a/i-00000000000000099", true)));
  AddRegisteredClaim("never-registered", "aws:///zone-a/i-00000000000000098", false);
  const std::string stopping = Launch("stopping");
  AddRegisteredClaim("stopping", stopping);
  ASSERT_TRUE(cloud_.Delete(stopping));  // shutting down: no longer live
  const std::string alive = Launch("alive");
  AddRegisteredClaim("alive", alive);
  StartCollector();
  RunFor(seconds(1));
  // "gone"'s Node still reports Ready: the kubelet runs, so it is kept for now.
  EXPECT_EQ(gc_->counts().node_claims_deleted, 1u);
  EXPECT_TRUE(Claim("stopping")->metadata.deletion_timestamp.has_value());
  EXPECT_FALSE(Claim("gone")->metadata.deletion_timestamp.has_value());
  EXPECT_FALSE(Claim("never-registered")->metadata.deletion_timestamp.has_value());
  EXPECT_FALSE(Claim("alive")->metadata.deletion_timestamp.has_value());

  ASSERT_TRUE(cluster_.Nodes().Patch({"", "node-gone"}, [](api::Node& node) {
    node.status.conditions[0].status = "Unknown";
  }));
  RunFor(seconds(10));
  EXPECT_EQ(gc_->counts().node_claims_deleted, 2u);
  EXPECT_TRUE(Claim("gone")->metadata.deletion_timestamp.has_value());
  EXPECT_FALSE(Claim("never-registered")->metadata.deletion_timestamp.has_value());
  EXPECT_FALSE(Claim("alive")->metadata.deletion_timestamp.has_value());
}

TEST_F(GarbageCollectionTest, DeletesKarpenterNodesNoNodeClaimNames) {
  ASSERT_TRUE(cluster_.Nodes().Create(KarpenterNode("orphan", "aws:///zone-a/i-00000000000000077")));
  ASSERT_TRUE(cluster_.NodeClaims().Create(MakeNodeClaim("owner")));
  api::Node owned = KarpenterNode("owned", "aws:///zone-a/i-00000000000000076");
  owned.metadata.owner_references.push_back(
      {"karpenter.sh/v1", "NodeClaim", "owner", "uid-x", true, true});
  ASSERT_TRUE(cluster_.Nodes().Create(owned));
  ASSERT_TRUE(cluster_.Nodes().Create(MakeNode("unmanaged", "aws:///zone-a/i-00000000000000075")));
  StartCollector();
  RunFor(seconds(25));
  EXPECT_EQ(gc_->counts().nodes_deleted, 0u);  // within the grace period
  RunFor(seconds(20));
  EXPECT_EQ(gc_->counts().nodes_deleted, 1u);
  EXPECT_EQ(NodeNamed("orphan"), nullptr);
  EXPECT_NE(NodeNamed("owned"), nullptr);
  EXPECT_NE(NodeNamed("unmanaged"), nullptr);
}

TEST_F(GarbageCollectionTest, RunsEveryTenSecondsAtFirstThenEveryTwoMinutes) {
  StartCollector();
  RunUntil(kStart + seconds(200));
  EXPECT_EQ(gc_->counts().passes, 21u);  // 0, 10, ..., 200 s
  EXPECT_EQ(manager_->NextDue(), kStart + seconds(320));
}

}  // namespace
}  // namespace karpenter::controllers
