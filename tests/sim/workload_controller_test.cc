#include "sim/workload_controller.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster_test_util.h"

namespace karpenter::sim {
namespace {

using namespace karpenter::sim::testing;  // NOLINT(google-build-using-namespace)

class WorkloadControllerTest : public ::testing::Test {
 protected:
  WorkloadControllerTest() : clock_(At(0)), cluster_(clock_), controller_(cluster_) {}

  void AddDeployment(int32_t replicas) {
    api::Deployment deployment;
    deployment.metadata.namespace_ = "default";
    deployment.metadata.name = "web";
    deployment.replicas = replicas;
    deployment.selector = core::LabelSelector{{{"app", "web"}}, {}};
    deployment.pod_template.metadata.labels = {{"app", "web"}};
    deployment.pod_template.spec = PendingPod("ignored", 1).spec;
    ASSERT_TRUE(cluster_.Deployments().Create(deployment));
  }
  void SetReplicas(int32_t replicas) {
    ASSERT_TRUE(cluster_.Deployments().Patch(
        {"default", "web"}, [replicas](api::Deployment& d) { d.replicas = replicas; }));
  }

  std::vector<std::string> PodNames() {
    std::vector<std::string> names;
    for (const auto& pod : cluster_.Pods().List()) names.push_back(pod->metadata.name);
    return names;
  }

  core::ManualClock clock_;
  kube::MemoryCluster cluster_;
  WorkloadController controller_;
};

TEST_F(WorkloadControllerTest, RefusedPodsAreRetriedAndTheFirstRefusalIsKept) {
  AddDeployment(0);
  ASSERT_TRUE(cluster_.Deployments().Patch({"default", "web"}, [](api::Deployment& d) {
    d.replicas = 2;
    d.pod_template.spec.priority_class_name = "missing";
  }));
  EXPECT_EQ(controller_.Step(), 1u);  // the ReplicaSet; both pods refused
  EXPECT_EQ(controller_.Step(), 0u);  // refused again: kept once
  EXPECT_TRUE(PodNames().empty());
  ASSERT_EQ(controller_.failures().size(), 1u);
  EXPECT_EQ(controller_.failures()[0].replica_set, "ReplicaSet/default/web-sim");
  EXPECT_EQ(controller_.failures()[0].message,
            "pods \"web-sim-0\" is forbidden: no PriorityClass with name missing was found");
  api::PriorityClass missing;
  missing.metadata.name = "missing";
  missing.value = 10;
  ASSERT_TRUE(cluster_.PriorityClasses().Create(missing));
  EXPECT_EQ(controller_.Step(), 2u);
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"web-sim-0", "web-sim-1"}));
  EXPECT_EQ(controller_.failures().size(), 1u);
}

TEST_F(WorkloadControllerTest, CreatesAReplicaSetAndItsPods) {
  AddDeployment(3);
  EXPECT_EQ(controller_.Step(), 4u);
  EXPECT_EQ(controller_.Step(), 0u);
  auto replica_set = cluster_.ReplicaSets().Get({"default", "web-sim"});
  ASSERT_TRUE(replica_set);
  EXPECT_EQ((*replica_set)->replicas, 3);
  ASSERT_EQ((*replica_set)->metadata.owner_references.size(), 1u);
  EXPECT_EQ((*replica_set)->metadata.owner_references[0].kind, "Deployment");
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"web-sim-0", "web-sim-1", "web-sim-2"}));
  auto pod = *cluster_.Pods().Get({"default", "web-sim-0"});
  EXPECT_EQ(pod->metadata.labels.at("app"), "web");
  ASSERT_EQ(pod->metadata.owner_references.size(), 1u);
  EXPECT_EQ(pod->metadata.owner_references[0].uid, (*replica_set)->metadata.uid);
  EXPECT_EQ(pod->status.phase, "Pending");
}

TEST_F(WorkloadControllerTest, ReplacesEvictedPodsWithPendingOnes) {
  AddDeployment(2);
  controller_.Step();
  ASSERT_TRUE(cluster_.Bind({"default", "web-sim-0"}, "node-a"));
  ASSERT_TRUE(cluster_.Evict({"default", "web-sim-0"}));
  EXPECT_EQ(controller_.Step(), 1u);
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"web-sim-0", "web-sim-1"}));
  EXPECT_EQ((*cluster_.Pods().Get({"default", "web-sim-0"}))->spec.node_name, "");
}

TEST_F(WorkloadControllerTest, ScalesDownUnboundThenNewestFirst) {
  AddDeployment(3);
  controller_.Step();
  clock_.Advance(std::chrono::seconds(10));
  SetReplicas(4);
  controller_.Step();  // web-sim-3 is the newest
  ASSERT_TRUE(cluster_.Bind({"default", "web-sim-0"}, "node-a"));
  ASSERT_TRUE(cluster_.Bind({"default", "web-sim-1"}, "node-a"));
  ASSERT_TRUE(cluster_.Bind({"default", "web-sim-3"}, "node-a"));
  SetReplicas(2);
  EXPECT_EQ(controller_.Step(), 3u);  // the ReplicaSet, then two pods
  // web-sim-2 goes first (unbound), then web-sim-3 (the newest bound).
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"web-sim-0", "web-sim-1"}));
}

}  // namespace
}  // namespace karpenter::sim
