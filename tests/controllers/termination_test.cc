#include "controllers/termination.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "controllers/manager.h"
#include "core/clock.h"
#include "kube/memory_cluster.h"

namespace karpenter::controllers {
namespace {

using std::chrono::seconds;

constexpr int64_t kStart = 1704067200;  // 2024-01-01T00:00:00Z

class TerminationTest : public ::testing::Test {
 protected:
  TerminationTest() : clock_(core::Time{seconds(kStart)}), cluster_(clock_), manager_(clock_) {
    RegisterTermination(manager_, cluster_, clock_);
  }

  // A Ready node with the termination finalizer and a NodeClaim pointing at it.
  void AddNode(std::optional<std::chrono::nanoseconds> grace = std::nullopt) {
    api::Node node;
    node.metadata.name = "node-1";
    node.metadata.finalizers = {std::string(kTerminationFinalizer)};
    node.spec.provider_id = "aws:///zone-a/i-1";
    ASSERT_TRUE(cluster_.Nodes().Create(node));
    api::NodeClaim claim;
    claim.metadata.name = "claim-1";
    claim.metadata.finalizers = {std::string(kTerminationFinalizer)};
    claim.spec.termination_grace_period = grace;
    claim.status.node_name = "node-1";
    claim.status.provider_id = "aws:///zone-a/i-1";
    ASSERT_TRUE(cluster_.NodeClaims().Create(claim));
  }

  // A Running, Ready pod in namespace "default" bound to node-1.
  api::Pod Pod(const std::string& name, api::Labels labels = {}) {
    api::Pod pod;
    pod.metadata.namespace_ = "default";
    pod.metadata.name = name;
    pod.metadata.labels = std::move(labels);
    pod.spec.node_name = "node-1";
    pod.status.phase = "Running";
    pod.status.conditions.push_back({"Ready", "True", "", "", std::nullopt});
    return pod;
  }
  void Create(api::Pod pod) { ASSERT_TRUE(cluster_.Pods().Create(std::move(pod))); }

  static api::Pod Daemon(api::Pod pod) {
    pod.metadata.owner_references.push_back({"apps/v1", "DaemonSet", "ds", "ds-uid", true, true});
    return pod;
  }
  static api::Pod Critical(api::Pod pod) {
    pod.spec.priority_class_name = "system-node-critical";
    return pod;
  }

  void DeleteNode() { ASSERT_TRUE(cluster_.Nodes().Delete({"", "node-1"})); }

  // Delivers events and runs what is due, then moves the clock by `step`.
  void Run(core::Duration step = core::Duration::zero()) {
    cluster_.Deliver();
    manager_.RunDue();
    cluster_.Deliver();
    clock_.Advance(step);
  }

  // Runs until nothing is due at the clock's now.
  void Settle() {
    do {
      Run();
    } while (manager_.NextDue() && *manager_.NextDue() <= clock_.Now());
  }

  std::vector<std::string> PodNames() {
    std::vector<std::string> names;
    for (const auto& pod : cluster_.Pods().List()) names.push_back(pod->metadata.name);
    return names;
  }
  bool NodeExists() { return cluster_.Nodes().Get({"", "node-1"}).has_value(); }

  core::ManualClock clock_;
  kube::MemoryCluster cluster_;
  Manager manager_;
};

TEST(DrainGroupTest, ClassifiesByCriticalityAndDaemonSetOwner) {
  api::Pod pod;
  EXPECT_EQ(DrainGroupOf(pod), DrainGroup::kNonCriticalNonDaemon);
  pod.spec.priority_class_name = "system-cluster-critical";
  EXPECT_EQ(DrainGroupOf(pod), DrainGroup::kCriticalNonDaemon);
  pod.metadata.owner_references.push_back({"apps/v1", "DaemonSet", "ds", "u", true, true});
  EXPECT_EQ(DrainGroupOf(pod), DrainGroup::kCriticalDaemon);
  pod.spec.priority_class_name = "high";
  EXPECT_EQ(DrainGroupOf(pod), DrainGroup::kNonCriticalDaemon);
}

TEST_F(TerminationTest, IgnoresNodeNotBeingDeleted) {
  AddNode();
  Create(Pod("web"));
  EXPECT_EQ(manager_.Find(TerminationController::kName)->Reconcile("node-1").requeue_after,
            std::nullopt);
  EXPECT_EQ(PodNames(), std::vector<std::string>{"web"});
  EXPECT_TRUE(cluster_.Nodes().Get({"", "node-1"}).value()->spec.taints.empty());
}

TEST_F(TerminationTest, TaintsAndDrainsGroupsInOrderThenRemovesFinalizer) {
  AddNode();
  Create(Pod("web"));
  Create(Daemon(Pod("logs")));
  Create(Critical(Pod("dns")));
  Create(Critical(Daemon(Pod("cni"))));
  DeleteNode();

  Run(TerminationController::kDrainPollInterval);
  auto node = cluster_.Nodes().Get({"", "node-1"});
  ASSERT_TRUE(node);
  const std::vector<core::Taint> tainted = {
      {"karpenter.sh/disrupted", "", core::TaintEffect::NoSchedule}};
  EXPECT_EQ((*node)->spec.taints, tainted);
  EXPECT_EQ((*node)->metadata.labels.at(std::string(kExcludeFromLoadBalancersLabel)),
            "karpenter");
  // The NodeClaim goes with its Node.
  EXPECT_TRUE(cluster_.NodeClaims().Get({"", "claim-1"}).value()->metadata.deletion_timestamp);
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"cni", "dns", "logs"}));

  Run(TerminationController::kDrainPollInterval);
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"cni", "dns"}));
  Run(TerminationController::kDrainPollInterval);
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"cni"}));
  EXPECT_TRUE(NodeExists());
  // The last eviction leaves nothing waiting: the same reconcile removes the finalizer.
  Run(TerminationController::kDrainPollInterval);
  EXPECT_TRUE(PodNames().empty());
  EXPECT_FALSE(NodeExists());
}

TEST_F(TerminationTest, SkipsPodsToleratingTheDisruptedTaintAndMirrorPods) {
  AddNode();
  api::Pod tolerating = Pod("tolerating");
  tolerating.spec.tolerations.push_back({"", core::TolerationOperator::Exists, "", std::nullopt,
                                         std::nullopt});
  Create(tolerating);
  api::Pod mirror = Pod("static");
  mirror.metadata.owner_references.push_back({"v1", "Node", "node-1", "node-uid", true, false});
  Create(mirror);
  DeleteNode();

  Run();
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"static", "tolerating"}));
  EXPECT_FALSE(NodeExists());
}

TEST_F(TerminationTest, RefusedEvictionIsRetriedUntilTheBudgetAllows) {
  AddNode();
  // Two replicas behind a budget that allows no unhealthy pod: "other" runs elsewhere but is
  // not ready yet, so evicting "web" is refused.
  Create(Pod("web", {{"app", "web"}}));
  api::Pod other = Pod("other", {{"app", "web"}});
  other.spec.node_name = "node-2";
  other.status.conditions.front().status = "False";
  Create(other);
  api::PodDisruptionBudget budget;
  budget.metadata.namespace_ = "default";
  budget.metadata.name = "web";
  budget.selector = core::LabelSelector{{{"app", "web"}}, {}};
  budget.min_available = api::IntOrPercent::Count(1);
  ASSERT_TRUE(cluster_.PodDisruptionBudgets().Create(budget));
  DeleteNode();

  for (int i = 0; i < 3; ++i) Run(TerminationController::kDrainPollInterval);
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"other", "web"}));
  EXPECT_TRUE(NodeExists());

  ASSERT_TRUE(cluster_.Pods().Patch({"default", "other"}, [](api::Pod& pod) {
    pod.status.conditions.front().status = "True";
  }));
  // The eviction goes through and, nothing else waiting, the same reconcile lets the node go.
  Run(TerminationController::kDrainPollInterval);
  EXPECT_EQ(PodNames(), std::vector<std::string>{"other"});
  EXPECT_FALSE(NodeExists());
}

TEST_F(TerminationTest, DoNotDisruptHoldsTheNodeWithoutGracePeriod) {
  AddNode();
  api::Pod pod = Pod("precious");
  pod.metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  Create(pod);
  Create(Pod("web"));
  DeleteNode();

  Run(TerminationController::kDrainPollInterval);
  Run(std::chrono::hours(24));
  Run();
  EXPECT_EQ(PodNames(), std::vector<std::string>{"precious"});
  EXPECT_TRUE(NodeExists());
  // Nothing is scheduled: the pod's departure (a watch event) is what brings the node back.
  EXPECT_EQ(manager_.NextDue(), std::nullopt);
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "precious"}));
  Run();
  EXPECT_FALSE(NodeExists());
}

TEST_F(TerminationTest, GracePeriodForcesDeletionEarlyEnoughForEachPod) {
  AddNode(std::chrono::minutes(10));
  api::Pod precious = Pod("precious");
  precious.metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  Create(precious);
  api::Pod slow = Pod("slow");
  slow.metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  slow.spec.termination_grace_period_seconds = 300;
  Create(slow);
  DeleteNode();

  Settle();
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"precious", "slow"}));
  // "slow" needs 300s of its grace period: it goes at the deadline minus 300s.
  ASSERT_EQ(manager_.NextDue(), core::Time{seconds(kStart + 600 - 300)});
  clock_.AdvanceTo(*manager_.NextDue());
  Settle();
  EXPECT_EQ(PodNames(), std::vector<std::string>{"precious"});
  ASSERT_EQ(manager_.NextDue(), core::Time{seconds(kStart + 600 - 30)});
  clock_.AdvanceTo(*manager_.NextDue());
  Settle();
  EXPECT_TRUE(PodNames().empty());
  Settle();
  EXPECT_FALSE(NodeExists());
}

TEST_F(TerminationTest, GracePeriodCountsFromTheNodeClaimsDeletion) {
  AddNode(std::chrono::minutes(10));
  api::Pod precious = Pod("precious");
  precious.metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  Create(precious);
  ASSERT_TRUE(cluster_.NodeClaims().Delete({"", "claim-1"}));
  clock_.Advance(std::chrono::minutes(2));
  DeleteNode();
  Settle();
  EXPECT_EQ(manager_.NextDue(), core::Time{seconds(kStart + 600 - 30)});
}

}  // namespace
}  // namespace karpenter::controllers
