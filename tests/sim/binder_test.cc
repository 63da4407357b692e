#include "sim/binder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster_test_util.h"
#include "sim/kubelet.h"

namespace karpenter::sim {
namespace {

using namespace karpenter::sim::testing;  // NOLINT(google-build-using-namespace)

class BinderTest : public ::testing::Test {
 protected:
  BinderTest() : clock_(At(0)), cluster_(clock_), binder_(cluster_, clock_) {}

  void AddNode(const api::Node& node) { ASSERT_TRUE(cluster_.Nodes().Create(node)); }
  void AddPod(const api::Pod& pod) { ASSERT_TRUE(cluster_.Pods().Create(pod)); }
  std::string NodeOf(const std::string& pod) {
    auto stored = cluster_.Pods().Get({"default", pod});
    return stored ? (*stored)->spec.node_name : "<gone>";
  }
  const api::PodCondition* Scheduled(const std::string& pod) {
    stored_ = *cluster_.Pods().Get({"default", pod});
    return FindPodCondition(*stored_, "PodScheduled");
  }

  core::ManualClock clock_;
  kube::MemoryCluster cluster_;
  Binder binder_;
  kube::ObjectPtr<api::Pod> stored_;
};

TEST_F(BinderTest, BindsToTheFirstFittingReadyNodeByName) {
  AddNode(ReadyNode("b"));
  AddNode(ReadyNode("a"));
  AddPod(PendingPod("web"));
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("web"), "a");
  EXPECT_EQ(Scheduled("web")->status, "True");
  EXPECT_EQ(binder_.Step(), 0u);
}

TEST_F(BinderTest, SkipsNotReadyTaintedCordonedAndDeletingNodes) {
  AddNode(ReadyNode("a-not-ready", 4, 10, "False"));
  api::Node unregistered = ReadyNode("b-unregistered");
  unregistered.spec.taints.push_back(
      {"karpenter.sh/unregistered", "", core::TaintEffect::NoExecute});
  AddNode(unregistered);
  api::Node disrupted = ReadyNode("c-disrupted");
  disrupted.spec.taints.push_back({"karpenter.sh/disrupted", "", core::TaintEffect::NoSchedule});
  AddNode(disrupted);
  api::Node cordoned = ReadyNode("d-cordoned");
  cordoned.spec.unschedulable = true;
  AddNode(cordoned);
  api::Node dedicated = ReadyNode("e-dedicated");
  dedicated.spec.taints.push_back({"dedicated", "x", core::TaintEffect::NoSchedule});
  AddNode(dedicated);
  api::Node deleting = ReadyNode("f-deleting");
  deleting.metadata.finalizers = {"karpenter.sh/termination"};
  AddNode(deleting);
  ASSERT_TRUE(cluster_.Nodes().Delete({"", "f-deleting"}));
  AddPod(PendingPod("web"));

  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("web"), "");
  const api::PodCondition* scheduled = Scheduled("web");
  ASSERT_NE(scheduled, nullptr);
  EXPECT_EQ(scheduled->status, "False");
  EXPECT_EQ(scheduled->reason, "Unschedulable");
  EXPECT_FALSE(scheduled->message.empty());
  // Marked once: a second step writes nothing.
  const int64_t revision = cluster_.LastResourceVersion();
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(cluster_.LastResourceVersion(), revision);

  // A pod tolerating the dedicated taint goes to the only node left for it.
  api::Pod tolerating = PendingPod("tolerating");
  tolerating.spec.tolerations.push_back(
      {"dedicated", core::TolerationOperator::Equal, "x", std::nullopt, std::nullopt});
  AddPod(tolerating);
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("tolerating"), "e-dedicated");
}

TEST_F(BinderTest, CountsPodsAlreadyBoundAndThoseItBinds) {
  AddNode(ReadyNode("a", 2));
  AddNode(ReadyNode("b", 4));
  api::Pod running = PendingPod("running", 2);
  running.spec.node_name = "a";
  AddPod(running);
  AddPod(PendingPod("one", 3));
  AddPod(PendingPod("two", 1));
  AddPod(PendingPod("three", 1));
  EXPECT_EQ(binder_.Step(), 2u);
  // "a" is full; "b" takes 3 + 1 cores, the last pod fits nowhere.
  EXPECT_EQ(NodeOf("one"), "b");
  const int bound_to_b = (NodeOf("two") == "b") + (NodeOf("three") == "b");
  EXPECT_EQ(bound_to_b, 1);
  const int pending = NodeOf("two").empty() + NodeOf("three").empty();
  EXPECT_EQ(pending, 1);
}

TEST_F(BinderTest, HonoursNodeSelectors) {
  api::Node a = ReadyNode("a");
  AddNode(a);
  api::Node b = ReadyNode("b");
  b.metadata.labels["disk"] = "ssd";
  AddNode(b);
  api::Pod pod = PendingPod("db");
  pod.spec.node_selector["disk"] = "ssd";
  AddPod(pod);
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("db"), "b");
}

TEST_F(BinderTest, LeavesOtherSchedulersAndTerminalPodsAlone) {
  AddNode(ReadyNode("a"));
  api::Pod other = PendingPod("other");
  other.spec.scheduler_name = "my-scheduler";
  AddPod(other);
  api::Pod done = PendingPod("done");
  done.status.phase = "Succeeded";
  AddPod(done);
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("other"), "");
  EXPECT_EQ(Scheduled("other"), nullptr);
}

// The drive loop of a virtual-time simulation: an instance becomes a node, Karpenter's
// registration (done by hand here) lifts the unregistered taint, the binder binds the pending
// pod and the kubelet runs it.
TEST(DriveLoopTest, InstanceToRunningPod) {
  core::ManualClock clock(At(0));
  kube::MemoryCluster cluster(clock);
  cloud::SimulatedCloud cloud(clock, OneTypeCatalog());
  Kubelet kubelet(cluster, cloud, clock);
  Binder binder(cluster, clock);
  ASSERT_TRUE(cluster.NodeClaims().Create(Claim("claim-1")));
  auto instance = cloud.Create(Claim("claim-1"));
  ASSERT_TRUE(instance);
  const std::string node = Kubelet::NodeName(instance->provider_id);
  ASSERT_TRUE(cluster.Pods().Create(PendingPod("web")));
  // Registration stand-in: lift the unregistered taint once the node exists.
  cluster.Nodes().Watch([&cluster](const kube::WatchEvent<api::Node>& event) {
    if (event.type != kube::EventType::kAdded) return;
    (void)cluster.Nodes().Patch({"", event.object->metadata.name}, [](api::Node& stored) {
      std::erase_if(stored.spec.taints, [](const core::Taint& taint) {
        return taint.key == "karpenter.sh/unregistered";
      });
    });
  });

  std::vector<int64_t> steps;
  for (int i = 0; i < 20; ++i) {
    cluster.Deliver();
    kubelet.Step();
    binder.Step();
    cluster.Deliver();
    const auto next = kubelet.NextEvent();
    if (!next) break;
    steps.push_back(std::chrono::duration_cast<std::chrono::seconds>(*next - At(0)).count());
    clock.AdvanceTo(*next);
  }
  // Registration at 30s, Ready at 35s, then the pod is bound and run at 35s.
  EXPECT_EQ(steps, (std::vector<int64_t>{30, 35, 35}));
  auto pod = cluster.Pods().Get({"default", "web"});
  ASSERT_TRUE(pod);
  EXPECT_EQ((*pod)->spec.node_name, node);
  EXPECT_EQ((*pod)->status.phase, "Running");
  EXPECT_EQ(FindPodCondition(**pod, "Ready")->status, "True");
}

}  // namespace
}  // namespace karpenter::sim
