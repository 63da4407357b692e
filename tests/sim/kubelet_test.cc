#include "sim/kubelet.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "cluster_test_util.h"

namespace karpenter::sim {
namespace {

using namespace karpenter::sim::testing;  // NOLINT(google-build-using-namespace)
using std::chrono::seconds;

class KubeletTest : public ::testing::Test {
 protected:
  KubeletTest()
      : clock_(At(0)), cluster_(clock_), cloud_(clock_, OneTypeCatalog()),
        kubelet_(cluster_, cloud_, clock_) {}

  // Creates NodeClaim `name` and launches its instance; returns the provider id.
  std::string Launch(const std::string& name) {
    api::NodeClaim claim = Claim(name);
    claim.metadata.labels["team"] = "a";
    claim.spec.taints.push_back({"dedicated", "a", core::TaintEffect::NoSchedule});
    EXPECT_TRUE(cluster_.NodeClaims().Create(claim));
    auto instance = cloud_.Create(claim);
    EXPECT_TRUE(instance.has_value());
    return instance ? instance->provider_id : "";
  }

  std::vector<std::string> NodeNames() {
    std::vector<std::string> names;
    for (const auto& node : cluster_.Nodes().List()) names.push_back(node->metadata.name);
    return names;
  }
  kube::ObjectPtr<api::Node> GetNode(const std::string& name) {
    auto node = cluster_.Nodes().Get({"", name});
    return node ? *node : nullptr;
  }

  core::ManualClock clock_;
  kube::MemoryCluster cluster_;
  cloud::SimulatedCloud cloud_;
  Kubelet kubelet_;
};

TEST(KubeletNameTest, NamesNodesAfterTheInstanceId) {
  EXPECT_EQ(Kubelet::NodeName("aws:///zone-a/i-00000000000000001"), "node-i-00000000000000001");
  EXPECT_EQ(Kubelet::NodeName("i-7"), "node-i-7");
}

TEST_F(KubeletTest, RegistersTheNodeAfterTheRegistrationDelay) {
  const std::string provider_id = Launch("claim-1");
  const std::string name = Kubelet::NodeName(provider_id);
  EXPECT_EQ(kubelet_.NextEvent(), At(30));
  clock_.AdvanceTo(At(29));
  kubelet_.Step();
  EXPECT_TRUE(NodeNames().empty());

  clock_.AdvanceTo(At(30));
  kubelet_.Step();
  ASSERT_EQ(NodeNames(), std::vector<std::string>{name});
  auto node = GetNode(name);
  EXPECT_EQ(node->spec.provider_id, provider_id);
  const std::vector<core::Taint> taints = {
      {"dedicated", "a", core::TaintEffect::NoSchedule},
      {"karpenter.sh/unregistered", "", core::TaintEffect::NoExecute}};
  EXPECT_EQ(node->spec.taints, taints);
  EXPECT_EQ(node->metadata.labels.at("kubernetes.io/hostname"), name);
  EXPECT_EQ(node->metadata.labels.at("team"), "a");
  EXPECT_EQ(node->metadata.labels.at("karpenter.sh/nodepool"), "default");
  EXPECT_EQ(node->metadata.labels.at("node.kubernetes.io/instance-type"), "m.large");
  EXPECT_EQ(node->status.node_info.architecture, "amd64");
  EXPECT_EQ(node->status.allocatable.Get("cpu"), core::Quantity::FromInt(4));
  EXPECT_EQ(FindNodeCondition(*node, "Ready")->status, "False");

  // Ready a documented delay after registration; nothing more after that.
  EXPECT_EQ(kubelet_.NextEvent(), At(30) + Kubelet::kReadyDelay);
  clock_.AdvanceTo(At(34));
  kubelet_.Step();
  EXPECT_EQ(FindNodeCondition(*GetNode(name), "Ready")->status, "False");
  clock_.AdvanceTo(At(35));
  kubelet_.Step();
  EXPECT_EQ(FindNodeCondition(*GetNode(name), "Ready")->status, "True");
  EXPECT_EQ(kubelet_.NextEvent(), std::nullopt);
}

TEST_F(KubeletTest, NeverRegisteringInstanceNeverGetsANode) {
  cloud_.NeverRegister("claim-1");
  Launch("claim-1");
  EXPECT_EQ(kubelet_.NextEvent(), std::nullopt);
  clock_.AdvanceTo(At(3600));
  kubelet_.Step();
  EXPECT_TRUE(NodeNames().empty());
}

TEST_F(KubeletTest, DeletedNodeIsNotRegisteredAgain) {
  const std::string name = Kubelet::NodeName(Launch("claim-1"));
  clock_.AdvanceTo(At(30));
  kubelet_.Step();
  ASSERT_TRUE(cluster_.Nodes().Delete({"", name}));
  clock_.AdvanceTo(At(60));
  kubelet_.Step();
  EXPECT_TRUE(NodeNames().empty());
  EXPECT_EQ(kubelet_.NextEvent(), std::nullopt);
}

TEST_F(KubeletTest, NodeTurnsUnknownWhenItsInstanceShutsDown) {
  const std::string provider_id = Launch("claim-1");
  const std::string name = Kubelet::NodeName(provider_id);
  clock_.AdvanceTo(At(30));
  kubelet_.Step();
  clock_.AdvanceTo(At(35));
  kubelet_.Step();
  ASSERT_TRUE(cloud_.Delete(provider_id));
  kubelet_.Step();
  EXPECT_EQ(FindNodeCondition(*GetNode(name), "Ready")->status, "Unknown");
}

TEST_F(KubeletTest, BoundPodsOnReadyNodesRunAndOrphansAreDeleted) {
  ASSERT_TRUE(cluster_.Nodes().Create(ReadyNode("ready")));
  ASSERT_TRUE(cluster_.Nodes().Create(ReadyNode("not-ready", 4, 10, "False")));
  api::Pod on_ready = PendingPod("on-ready");
  on_ready.spec.node_name = "ready";
  ASSERT_TRUE(cluster_.Pods().Create(on_ready));
  api::Pod on_not_ready = PendingPod("on-not-ready");
  on_not_ready.spec.node_name = "not-ready";
  ASSERT_TRUE(cluster_.Pods().Create(on_not_ready));
  api::Pod orphan = PendingPod("orphan");
  orphan.spec.node_name = "gone";
  ASSERT_TRUE(cluster_.Pods().Create(orphan));
  ASSERT_TRUE(cluster_.Pods().Create(PendingPod("unbound")));
  api::Pod started = PendingPod("started");  // started before (as read from a file)
  started.spec.node_name = "ready";
  started.status.start_time = 1000;
  ASSERT_TRUE(cluster_.Pods().Create(started));
  EXPECT_EQ(kubelet_.NextEvent(), At(0));

  clock_.AdvanceTo(At(7));
  kubelet_.Step();
  auto running = cluster_.Pods().Get({"default", "on-ready"});
  ASSERT_TRUE(running);
  EXPECT_EQ((*running)->status.phase, "Running");
  EXPECT_EQ((*running)->status.start_time,
            std::chrono::duration_cast<std::chrono::seconds>(At(7).time_since_epoch()).count());
  EXPECT_EQ((*cluster_.Pods().Get({"default", "started"}))->status.start_time, 1000);
  EXPECT_EQ((*cluster_.Pods().Get({"default", "on-not-ready"}))->status.start_time, std::nullopt);
  for (std::string_view type : {"Initialized", "ContainersReady", "Ready"}) {
    ASSERT_NE(FindPodCondition(**running, type), nullptr) << type;
    EXPECT_EQ(FindPodCondition(**running, type)->status, "True") << type;
  }
  EXPECT_EQ((*cluster_.Pods().Get({"default", "on-not-ready"}))->status.phase, "Pending");
  EXPECT_EQ((*cluster_.Pods().Get({"default", "unbound"}))->status.phase, "Pending");
  EXPECT_FALSE(cluster_.Pods().Get({"default", "orphan"}).has_value());
  EXPECT_EQ(kubelet_.NextEvent(), std::nullopt);

  // A second step writes nothing.
  const int64_t revision = cluster_.LastResourceVersion();
  kubelet_.Step();
  EXPECT_EQ(cluster_.LastResourceVersion(), revision);
}

}  // namespace
}  // namespace karpenter::sim
