// ownerReference garbage collection in the in-memory cluster: background, orphan and
// foreground propagation across kinds.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kube/memory_cluster.h"
#include "kube_test_util.h"

namespace karpenter::kube {
namespace {

using testing::MakePod;
using testing::Named;
using testing::Outcome;
using testing::OwnerRef;
using testing::Recorder;
using Propagation = DeleteOptions::Propagation;

DeleteOptions With(Propagation propagation) {
  DeleteOptions options;
  options.propagation = propagation;
  return options;
}

// Deployment default/web -> ReplicaSet default/web-1 -> Pods default/web-1-a, default/web-1-b.
class GcTest : public ::testing::Test {
 protected:
  void CreateChain(std::vector<std::string> replica_set_finalizers = {},
                   std::vector<std::string> pod_finalizers = {}) {
    auto deployment = *cluster_.Deployments().Create(Named<api::Deployment>("default", "web"));
    api::ReplicaSet replica_set = Named<api::ReplicaSet>("default", "web-1");
    replica_set.metadata.owner_references = {OwnerRef("Deployment", deployment->metadata)};
    replica_set.metadata.finalizers = std::move(replica_set_finalizers);
    auto stored = *cluster_.ReplicaSets().Create(replica_set);
    for (const char* name : {"web-1-a", "web-1-b"}) {
      api::Pod pod = MakePod("default", name);
      pod.metadata.owner_references = {OwnerRef("ReplicaSet", stored->metadata)};
      pod.metadata.finalizers = pod_finalizers;
      ASSERT_TRUE(cluster_.Pods().Create(pod).has_value());
    }
  }

  void AttachAll() {
    recorder_.Attach(cluster_.Deployments(), "Deployment");
    recorder_.Attach(cluster_.ReplicaSets(), "ReplicaSet");
    recorder_.Attach(cluster_.Pods(), "Pod");
  }

  size_t Remaining() {
    return cluster_.Deployments().List().size() + cluster_.ReplicaSets().List().size() +
           cluster_.Pods().List().size();
  }

  core::ManualClock clock_{testing::StartTime()};
  MemoryCluster cluster_{clock_};
  Recorder recorder_;
};

TEST_F(GcTest, BackgroundDeletesTheDependentsRecursively) {
  CreateChain();
  AttachAll();
  EXPECT_EQ(Outcome(cluster_.Deployments().Delete({"default", "web"})), "ok");
  EXPECT_EQ(Remaining(), 0u);
  cluster_.Deliver();
  EXPECT_EQ(recorder_.events,
            (std::vector<std::string>{
                "Deployment DELETED default/web rv=5", "ReplicaSet DELETED default/web-1 rv=6",
                "Pod DELETED default/web-1-a rv=7", "Pod DELETED default/web-1-b rv=8"}));
}

TEST_F(GcTest, BackgroundWaitsForAFinalizedDependent) {
  CreateChain({"example.com/hold"});
  EXPECT_EQ(Outcome(cluster_.Deployments().Delete({"default", "web"})), "ok");
  EXPECT_EQ(cluster_.Deployments().List().size(), 0u);
  auto replica_set = *cluster_.ReplicaSets().Get({"default", "web-1"});
  EXPECT_TRUE(replica_set->metadata.deletion_timestamp.has_value());
  EXPECT_EQ(cluster_.Pods().List().size(), 2u);  // their owner is still in the store

  EXPECT_EQ(Outcome(cluster_.ReplicaSets().Patch(
                {"default", "web-1"}, [](api::ReplicaSet& rs) { rs.metadata.finalizers.clear(); })),
            "ok");
  EXPECT_EQ(Remaining(), 0u);
}

TEST_F(GcTest, OrphanStripsTheReferences) {
  CreateChain();
  AttachAll();
  EXPECT_EQ(Outcome(cluster_.Deployments().Delete({"default", "web"}, With(Propagation::kOrphan))),
            "ok");
  auto replica_set = cluster_.ReplicaSets().Get({"default", "web-1"});
  ASSERT_TRUE(replica_set.has_value());
  EXPECT_TRUE((*replica_set)->metadata.owner_references.empty());
  EXPECT_EQ((*replica_set)->metadata.deletion_timestamp, std::nullopt);
  EXPECT_EQ(cluster_.Pods().List().size(), 2u);
  cluster_.Deliver();
  EXPECT_EQ(recorder_.events, (std::vector<std::string>{"ReplicaSet MODIFIED default/web-1 rv=5",
                                                        "Deployment DELETED default/web rv=6"}));
  // The pods still follow their (now orphaned) ReplicaSet.
  EXPECT_EQ(Outcome(cluster_.ReplicaSets().Delete({"default", "web-1"})), "ok");
  EXPECT_EQ(Remaining(), 0u);
}

TEST_F(GcTest, ForegroundDeletesTheOwnerLast) {
  CreateChain();
  AttachAll();
  EXPECT_EQ(
      Outcome(cluster_.Deployments().Delete({"default", "web"}, With(Propagation::kForeground))),
      "ok");
  EXPECT_EQ(Remaining(), 0u);
  cluster_.Deliver();
  EXPECT_EQ(recorder_.events,
            (std::vector<std::string>{
                "Deployment MODIFIED default/web rv=5", "ReplicaSet MODIFIED default/web-1 rv=6",
                "Pod DELETED default/web-1-a rv=7", "Pod DELETED default/web-1-b rv=8",
                "ReplicaSet MODIFIED default/web-1 rv=9", "ReplicaSet DELETED default/web-1 rv=10",
                "Deployment MODIFIED default/web rv=11", "Deployment DELETED default/web rv=12"}));
}

TEST_F(GcTest, ForegroundWaitsForDependentsWithFinalizers) {
  CreateChain({}, {"example.com/drain"});
  EXPECT_EQ(
      Outcome(cluster_.Deployments().Delete({"default", "web"}, With(Propagation::kForeground))),
      "ok");
  auto deployment = *cluster_.Deployments().Get({"default", "web"});
  EXPECT_TRUE(deployment->metadata.deletion_timestamp.has_value());
  EXPECT_EQ(deployment->metadata.finalizers, std::vector<std::string>{"foregroundDeletion"});
  auto replica_set = *cluster_.ReplicaSets().Get({"default", "web-1"});
  EXPECT_EQ(replica_set->metadata.finalizers, std::vector<std::string>{"foregroundDeletion"});
  for (const auto& pod : cluster_.Pods().List()) {
    EXPECT_TRUE(pod->metadata.deletion_timestamp.has_value());
  }

  auto release = [&](const std::string& name) {
    return Outcome(cluster_.Pods().Patch({"default", name},
                                         [](api::Pod& pod) { pod.metadata.finalizers.clear(); }));
  };
  EXPECT_EQ(release("web-1-a"), "ok");
  EXPECT_EQ(Remaining(), 3u);  // one pod left: the owners still wait
  EXPECT_EQ(release("web-1-b"), "ok");
  EXPECT_EQ(Remaining(), 0u);
}

TEST_F(GcTest, NodeClaimOwnsItsNode) {
  api::NodeClaim claim = Named<api::NodeClaim>("", "default-abcde");
  claim.metadata.finalizers = {"karpenter.sh/termination"};
  auto stored_claim = *cluster_.NodeClaims().Create(claim);
  api::Node node = Named<api::Node>("", "ip-10-0-0-1");
  node.metadata.owner_references = {OwnerRef("NodeClaim", stored_claim->metadata)};
  ASSERT_TRUE(cluster_.Nodes().Create(node).has_value());

  ASSERT_EQ(Outcome(cluster_.NodeClaims().Delete({"", "default-abcde"})), "ok");
  EXPECT_EQ(cluster_.Nodes().List().size(), 1u);  // the claim still terminates
  ASSERT_EQ(Outcome(cluster_.NodeClaims().Patch(
                {"", "default-abcde"}, [](api::NodeClaim& c) { c.metadata.finalizers.clear(); })),
            "ok");
  EXPECT_EQ(cluster_.NodeClaims().List().size(), 0u);
  EXPECT_EQ(cluster_.Nodes().List().size(), 0u);
}

TEST_F(GcTest, AClusterScopedOwnerOwnsAcrossNamespaces) {
  auto node = *cluster_.Nodes().Create(Named<api::Node>("", "node-a"));
  api::Pod mirror = MakePod("kube-system", "kube-proxy-node-a");
  mirror.metadata.owner_references = {OwnerRef("Node", node->metadata)};
  ASSERT_TRUE(cluster_.Pods().Create(mirror).has_value());
  ASSERT_EQ(Outcome(cluster_.Nodes().Delete({"", "node-a"})), "ok");
  EXPECT_EQ(cluster_.Pods().List().size(), 0u);
}

TEST_F(GcTest, ANamespacedOwnerDoesNotOwnAcrossNamespaces) {
  auto replica_set = *cluster_.ReplicaSets().Create(Named<api::ReplicaSet>("a", "rs"));
  api::Pod stray = MakePod("b", "stray");
  stray.metadata.owner_references = {OwnerRef("ReplicaSet", replica_set->metadata)};
  ASSERT_TRUE(cluster_.Pods().Create(stray).has_value());
  ASSERT_EQ(Outcome(cluster_.ReplicaSets().Delete({"a", "rs"})), "ok");
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"b", "stray"})), "ok");
}

TEST_F(GcTest, ADependentWithAnotherOwnerOnlyLosesTheReference) {
  auto first = *cluster_.ReplicaSets().Create(Named<api::ReplicaSet>("default", "first"));
  auto second = *cluster_.ReplicaSets().Create(Named<api::ReplicaSet>("default", "second"));
  api::Pod shared = MakePod("default", "shared");
  shared.metadata.owner_references = {OwnerRef("ReplicaSet", first->metadata, false),
                                      OwnerRef("ReplicaSet", second->metadata, false)};
  ASSERT_TRUE(cluster_.Pods().Create(shared).has_value());

  ASSERT_EQ(Outcome(cluster_.ReplicaSets().Delete({"default", "first"})), "ok");
  auto pod = cluster_.Pods().Get({"default", "shared"});
  ASSERT_TRUE(pod.has_value());
  ASSERT_EQ((*pod)->metadata.owner_references.size(), 1u);
  EXPECT_EQ((*pod)->metadata.owner_references[0].name, "second");

  ASSERT_EQ(Outcome(cluster_.ReplicaSets().Delete({"default", "second"})), "ok");
  EXPECT_EQ(cluster_.Pods().List().size(), 0u);
}

TEST_F(GcTest, AReferenceToAnOwnerThatNeverExistedIsLeftAlone) {
  api::Pod pod = MakePod("default", "owned-elsewhere");
  api::ObjectMeta phantom;
  phantom.name = "rs-not-stored";
  phantom.uid = "uid-999";
  pod.metadata.owner_references = {OwnerRef("ReplicaSet", phantom)};
  ASSERT_TRUE(cluster_.Pods().Create(pod).has_value());
  ASSERT_TRUE(cluster_.Nodes().Create(Named<api::Node>("", "n")).has_value());
  ASSERT_EQ(Outcome(cluster_.Nodes().Delete({"", "n"})), "ok");
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"default", "owned-elsewhere"})), "ok");
}

TEST_F(GcTest, UpdatingOwnerReferencesMovesADependent) {
  auto first = *cluster_.ReplicaSets().Create(Named<api::ReplicaSet>("default", "first"));
  auto second = *cluster_.ReplicaSets().Create(Named<api::ReplicaSet>("default", "second"));
  api::Pod pod = MakePod("default", "adopted");
  pod.metadata.owner_references = {OwnerRef("ReplicaSet", first->metadata)};
  auto stored = *cluster_.Pods().Create(pod);
  api::Pod adopted = *stored;
  adopted.metadata.owner_references = {OwnerRef("ReplicaSet", second->metadata)};
  ASSERT_TRUE(cluster_.Pods().Update(adopted).has_value());

  ASSERT_EQ(Outcome(cluster_.ReplicaSets().Delete({"default", "first"})), "ok");
  EXPECT_EQ(cluster_.Pods().List().size(), 1u);
  ASSERT_EQ(Outcome(cluster_.ReplicaSets().Delete({"default", "second"})), "ok");
  EXPECT_EQ(cluster_.Pods().List().size(), 0u);
}

}  // namespace
}  // namespace karpenter::kube
