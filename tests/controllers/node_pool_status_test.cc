#include "controllers/node_pool_status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "disruption/nodepool_hash.h"
#include "disruption/snapshot.h"
#include "provisioning_fixture.h"

namespace karpenter::controllers {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace)

core::Quantity Gi(int64_t gibibytes) {
  return core::Quantity::FromInt(gibibytes << 30, core::Format::kBinarySI);
}
core::Quantity N(int64_t value) { return core::Quantity::FromInt(value); }

class NodePoolStatusTest : public ControllerFixture {
 protected:
  void StartCounter() {
    manager_ = std::make_unique<Manager>(clock_);
    ASSERT_NE(NodePoolStatusController::Register(*manager_, cluster_), nullptr);
  }
  // A launched NodeClaim of `pool` with `capacity`.
  void AddClaim(const std::string& name, const std::string& provider_id,
                core::ResourceList capacity, const std::string& pool = "default") {
    api::NodeClaim claim = MakeNodeClaim(name);
    claim.metadata.labels[std::string(kNodePoolLabel)] = pool;
    claim.status.provider_id = provider_id;
    claim.status.capacity = std::move(capacity);
    ASSERT_TRUE(cluster_.NodeClaims().Create(claim));
  }
  void AddNode(const std::string& name, const std::string& provider_id,
               core::ResourceList capacity, bool initialized, const std::string& pool = "default") {
    api::Node node;
    node.metadata.name = name;
    node.metadata.labels[std::string(kNodePoolLabel)] = pool;
    if (initialized) node.metadata.labels[std::string(kInitializedLabel)] = "true";
    node.spec.provider_id = provider_id;
    node.status.capacity = std::move(capacity);
    ASSERT_TRUE(cluster_.Nodes().Create(node));
  }
  kube::ObjectPtr<api::NodePool> Pool() { return *cluster_.NodePools().Get({"", "default"}); }
  std::string Annotation(const api::ObjectMeta& metadata, std::string_view key) {
    auto it = metadata.annotations.find(std::string(key));
    return it == metadata.annotations.end() ? "<none>" : it->second;
  }
};

TEST_F(NodePoolStatusTest, SumsTheCapacityOfThePoolsNodes) {
  ASSERT_TRUE(cluster_.NodePools().Create(MakeNodePool()));
  // Initialized: the Node's capacity.
  AddClaim("a", "id-a", {{"cpu", N(8)}, {"memory", Gi(32)}, {"pods", N(110)}});
  AddNode("node-a", "id-a", {{"cpu", N(8)}, {"memory", Gi(30)}, {"pods", N(110)}}, true);
  // Not initialized: the Node's, with what it lacks from the NodeClaim.
  AddClaim("b", "id-b", {{"cpu", N(4)}, {"memory", Gi(16)}, {"pods", N(110)}});
  AddNode("node-b", "id-b", {{"cpu", N(3)}, {"memory", N(0)}}, false);
  // No Node yet: the NodeClaim's.
  AddClaim("c", "id-c", {{"cpu", N(2)}, {"memory", Gi(8)}, {"pods", N(110)}});
  // Not launched, being deleted, or another pool's: not counted.
  AddClaim("d", "", {});
  AddClaim("e", "id-e", {{"cpu", N(2)}});
  ASSERT_TRUE(cluster_.NodeClaims().Delete({"", "e"}));
  AddClaim("f", "id-f", {{"cpu", N(64)}}, "other");
  // A Node of the pool no NodeClaim names counts on its own.
  AddNode("node-x", "id-x", {{"cpu", N(1)}, {"memory", Gi(1)}, {"pods", N(10)}}, true);
  AddNode("node-y", "id-y", {{"cpu", N(32)}}, true, "other");

  StartCounter();
  RunFor(seconds(1));
  auto pool = Pool();
  const core::ResourceList expected = {{"cpu", N(14)},
                                       {"memory", Gi(55)},
                                       {"pods", N(340)},
                                       {"ephemeral-storage", N(0)},
                                       {"nodes", N(4)}};
  EXPECT_EQ(pool->status.resources, expected);
  EXPECT_EQ(pool->status.nodes, 4);

  // Counting again changes nothing, so nothing is written.
  const int64_t revision = cluster_.LastResourceVersion();
  manager_->Enqueue(NodePoolStatusController::kName, "default");
  RunFor(seconds(1));
  EXPECT_EQ(cluster_.LastResourceVersion(), revision);

  // A NodeClaim's deletion is seen through the watch.
  ASSERT_TRUE(cluster_.NodeClaims().Delete({"", "c"}));
  RunFor(seconds(1));
  pool = Pool();
  EXPECT_EQ(pool->status.resources.Get("cpu"), N(12));
  EXPECT_EQ(pool->status.resources.Get("nodes"), N(3));
  EXPECT_EQ(pool->status.nodes, 3);
}

TEST_F(NodePoolStatusTest, AnEmptyPoolReportsZeros) {
  ASSERT_TRUE(cluster_.NodePools().Create(MakeNodePool()));
  StartCounter();
  RunFor(seconds(1));
  const core::ResourceList zeros = {{"cpu", N(0)},
                                    {"memory", N(0)},
                                    {"pods", N(0)},
                                    {"ephemeral-storage", N(0)},
                                    {"nodes", N(0)}};
  EXPECT_EQ(Pool()->status.resources, zeros);
  EXPECT_EQ(Pool()->status.nodes, 0);
}

TEST_F(NodePoolStatusTest, KeepsTheHashAnnotationsCurrent) {
  ASSERT_TRUE(cluster_.NodePools().Create(MakeNodePool()));
  StartCounter();
  RunFor(seconds(1));
  EXPECT_EQ(Annotation(Pool()->metadata, disruption::kNodePoolHashAnnotation),
            disruption::NodePoolTemplateHash(*Pool()));
  EXPECT_EQ(Annotation(Pool()->metadata, disruption::kNodePoolHashVersionAnnotation),
            disruption::kNodePoolHashVersion);
  const std::string before = Annotation(Pool()->metadata, disruption::kNodePoolHashAnnotation);

  ASSERT_TRUE(cluster_.NodePools().Patch(
      {"", "default"}, [](api::NodePool& pool) { pool.spec.template_.metadata.labels["team"] = "b"; }));
  RunFor(seconds(1));
  const std::string after = Annotation(Pool()->metadata, disruption::kNodePoolHashAnnotation);
  EXPECT_NE(after, before);
  EXPECT_EQ(after, disruption::NodePoolTemplateHash(*Pool()));
}

TEST_F(NodePoolStatusTest, RestampsNodeClaimsAfterAHashVersionChange) {
  ASSERT_TRUE(cluster_.NodePools().Create(MakeNodePool()));
  const std::string version(disruption::kNodePoolHashVersionAnnotation);
  const std::string hash(disruption::kNodePoolHashAnnotation);
  api::NodeClaim old_stamp = MakeNodeClaim("old-stamp");
  old_stamp.metadata.annotations = {{hash, "123"}, {version, "v3"}};
  ASSERT_TRUE(cluster_.NodeClaims().Create(old_stamp));
  api::NodeClaim drifted = MakeNodeClaim("drifted");
  drifted.metadata.annotations = {{hash, "123"}, {version, "v3"}};
  SetCondition(drifted.status.conditions, "Drifted", "True", kStart);
  ASSERT_TRUE(cluster_.NodeClaims().Create(drifted));
  api::NodeClaim ours = MakeNodeClaim("ours");
  ours.metadata.annotations = {{hash, "stale"}, {version, std::string(disruption::kNodePoolHashVersion)}};
  ASSERT_TRUE(cluster_.NodeClaims().Create(ours));

  StartCounter();
  RunFor(seconds(1));
  const std::string current = disruption::NodePoolTemplateHash(*Pool());
  EXPECT_EQ(Annotation(Claim("old-stamp")->metadata, hash), current);
  EXPECT_EQ(Annotation(Claim("old-stamp")->metadata, version), disruption::kNodePoolHashVersion);
  // Already drifted: it stays drifted, so its old hash is kept.
  EXPECT_EQ(Annotation(Claim("drifted")->metadata, hash), "123");
  EXPECT_EQ(Annotation(Claim("drifted")->metadata, version), disruption::kNodePoolHashVersion);
  // Stamped by our version: compared by value, never re-stamped (its drift is real).
  EXPECT_EQ(Annotation(Claim("ours")->metadata, hash), "stale");
}

}  // namespace
}  // namespace karpenter::controllers
