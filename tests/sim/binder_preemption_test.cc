// The binder's priority order and preemption (sim/binder.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster_test_util.h"
#include "sim/binder.h"
#include "sim/workload_controller.h"

namespace karpenter::sim {
namespace {

using namespace karpenter::sim::testing;  // NOLINT(google-build-using-namespace)

// A pod bound to `node`, Running and Ready, with `priority` and `cpu` cores.
api::Pod RunningPod(std::string name, std::string node, int32_t priority, int64_t cpu) {
  api::Pod pod = PendingPod(std::move(name), cpu);
  pod.spec.node_name = std::move(node);
  pod.spec.priority = priority;
  pod.status.phase = "Running";
  pod.status.conditions.push_back({"Ready", "True", "", "", std::nullopt});
  return pod;
}

api::Pod PendingWithPriority(std::string name, int32_t priority, int64_t cpu) {
  api::Pod pod = PendingPod(std::move(name), cpu);
  pod.spec.priority = priority;
  return pod;
}

class BinderPreemptionTest : public ::testing::Test {
 protected:
  BinderPreemptionTest() : clock_(At(0)), cluster_(clock_), binder_(cluster_, clock_) {}

  void AddNode(const api::Node& node) { ASSERT_TRUE(cluster_.Nodes().Create(node)); }
  // Creates `pod` one second after the previous one, so creation order is start order.
  void AddPod(const api::Pod& pod) {
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(cluster_.Pods().Create(pod));
  }
  kube::ObjectPtr<api::Pod> Pod(const std::string& name) {
    auto got = cluster_.Pods().Get({"default", name});
    return got ? *got : nullptr;
  }
  std::string NodeOf(const std::string& name) {
    auto pod = Pod(name);
    return pod ? pod->spec.node_name : "<gone>";
  }
  std::string NominatedNode(const std::string& name) {
    auto pod = Pod(name);
    return pod ? pod->status.nominated_node_name : "<gone>";
  }
  std::vector<std::string> PodNames() {
    std::vector<std::string> names;
    for (const auto& pod : cluster_.Pods().List()) names.push_back(pod->metadata.name);
    return names;
  }

  core::ManualClock clock_;
  kube::MemoryCluster cluster_;
  Binder binder_;
};

TEST_F(BinderPreemptionTest, HigherPriorityPodsArePlacedFirst) {
  AddNode(ReadyNode("a", 2));
  // The older, equally large pod would go first in the library's own order.
  AddPod(PendingWithPriority("low", 0, 2));
  AddPod(PendingWithPriority("high", 10, 2));
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("high"), "a");
  EXPECT_EQ(NodeOf("low"), "");
  // "low" cannot preempt "high": it waits, not nominated.
  EXPECT_EQ(NominatedNode("low"), "");
  EXPECT_EQ(binder_.preemptions(), 0u);
}

TEST_F(BinderPreemptionTest, PreemptsThenBindsOnceTheVictimIsGone) {
  AddNode(ReadyNode("a", 4));
  api::Pod low = RunningPod("low", "a", -1, 3);
  low.metadata.finalizers = {"example.com/hold"};  // keeps the victim visible while terminating
  AddPod(low);
  AddPod(PendingWithPriority("high", 100, 2));

  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(binder_.preemptions(), 1u);
  EXPECT_EQ(binder_.preempted_pods(), 1u);
  auto victim = Pod("low");
  ASSERT_NE(victim, nullptr);
  EXPECT_TRUE(victim->metadata.deletion_timestamp.has_value());
  const api::PodCondition* target = FindPodCondition(*victim, "DisruptionTarget");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->status, "True");
  EXPECT_EQ(target->reason, "PreemptionByScheduler");
  EXPECT_EQ(target->message, "default-scheduler: preempting to accommodate a higher priority pod");
  auto high = Pod("high");
  EXPECT_EQ(high->status.nominated_node_name, "a");
  const api::PodCondition* scheduled = FindPodCondition(*high, "PodScheduled");
  ASSERT_NE(scheduled, nullptr);
  EXPECT_EQ(scheduled->reason, "Unschedulable");

  // The victim still terminates: the preemptor waits, nothing more is preempted or written.
  const int64_t revision = cluster_.LastResourceVersion();
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(binder_.preemptions(), 1u);
  EXPECT_EQ(cluster_.LastResourceVersion(), revision);

  ASSERT_TRUE(cluster_.Pods().Patch({"default", "low"},
                                    [](api::Pod& pod) { pod.metadata.finalizers.clear(); }));
  EXPECT_EQ(NodeOf("low"), "<gone>");
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("high"), "a");
}

TEST_F(BinderPreemptionTest, PriorityComesFromThePriorityClass) {
  api::PriorityClass overprovisioning;
  overprovisioning.metadata.name = "overprovisioning";
  overprovisioning.value = -10;
  ASSERT_TRUE(cluster_.PriorityClasses().Create(overprovisioning));
  AddNode(ReadyNode("a", 4));
  api::Pod pause = PendingPod("pause", 4);
  pause.spec.node_name = "a";
  pause.spec.priority_class_name = "overprovisioning";
  AddPod(pause);
  AddPod(PendingPod("app", 1));  // no class, no global default: priority 0

  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("pause"), "<gone>");
  EXPECT_EQ(NominatedNode("app"), "a");
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("app"), "a");
}

TEST_F(BinderPreemptionTest, GlobalDefaultClassAndNeverPolicy) {
  api::PriorityClass standard;
  standard.metadata.name = "standard";
  standard.value = 1000;
  standard.global_default = true;
  ASSERT_TRUE(cluster_.PriorityClasses().Create(standard));
  api::PriorityClass polite;
  polite.metadata.name = "polite";
  polite.value = 5000;
  polite.preemption_policy = api::PreemptionPolicy::kNever;
  ASSERT_TRUE(cluster_.PriorityClasses().Create(polite));
  AddNode(ReadyNode("a", 2));
  AddPod(RunningPod("batch", "a", 10, 2));
  api::Pod waiting = PendingPod("waiting", 2);
  waiting.spec.priority_class_name = "polite";
  AddPod(waiting);

  // The class's Never policy: no preemption, no nomination.
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("batch"), "a");
  EXPECT_EQ(NominatedNode("waiting"), "");

  // A pod without a class gets the global default (1000 > 10) and may preempt.
  AddPod(PendingPod("web", 2));
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("batch"), "<gone>");
  EXPECT_EQ(NominatedNode("web"), "a");
  EXPECT_EQ(NominatedNode("waiting"), "");
  // The room goes to "waiting" though "web" preempted for it: kube-scheduler keeps a
  // nominated pod's room only from pods of its own priority or lower.
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("waiting"), "a");
  EXPECT_EQ(NodeOf("web"), "");
}

TEST_F(BinderPreemptionTest, EqualPriorityNeverPreempts) {
  AddNode(ReadyNode("a", 2));
  AddPod(RunningPod("one", "a", 0, 2));
  AddPod(PendingPod("two", 2));
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("one"), "a");
  EXPECT_EQ(NominatedNode("two"), "");
  EXPECT_EQ(binder_.preemptions(), 0u);
}

TEST_F(BinderPreemptionTest, GivesBackTheMostImportantVictimsThatStillLeaveRoom) {
  AddNode(ReadyNode("a", 4));
  AddPod(RunningPod("p1", "a", 1, 1));
  AddPod(RunningPod("p2", "a", 2, 1));
  AddPod(RunningPod("p3", "a", 3, 2));
  AddPod(PendingWithPriority("high", 100, 2));
  EXPECT_EQ(binder_.Step(), 0u);
  // Without all three the pod fits; p3 (most important) is given back, then p2 and p1 no
  // longer leave room.
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"high", "p3"}));
  EXPECT_EQ(binder_.preempted_pods(), 2u);
}

TEST_F(BinderPreemptionTest, ChoosesTheNodeWithTheLowestHighestPriorityVictim) {
  AddNode(ReadyNode("a", 4));
  AddNode(ReadyNode("b", 4));
  AddNode(ReadyNode("c", 4));
  AddPod(RunningPod("on-a", "a", 10, 4));
  AddPod(RunningPod("on-b1", "b", 5, 2));  // b: highest victim 5, two victims
  AddPod(RunningPod("on-b2", "b", 5, 2));
  AddPod(RunningPod("on-c", "c", 5, 4));  // c: highest victim 5, lower sum (one victim)
  AddPod(PendingWithPriority("high", 100, 4));
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NominatedNode("high"), "c");
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"high", "on-a", "on-b1", "on-b2"}));
}

TEST_F(BinderPreemptionTest, PrefersVictimsWhoseBudgetAllows) {
  AddNode(ReadyNode("a", 4));
  // "y" is older (more important), but "x"'s budget allows no disruption: "x" is given back
  // first, and "y" goes.
  api::Pod y = RunningPod("y", "a", 0, 2);
  y.metadata.labels["app"] = "y";
  AddPod(y);
  api::Pod x = RunningPod("x", "a", 0, 2);
  x.metadata.labels["app"] = "x";
  AddPod(x);
  api::PodDisruptionBudget budget;
  budget.metadata.namespace_ = "default";
  budget.metadata.name = "x";
  budget.selector = core::LabelSelector{{{"app", "x"}}, {}};
  budget.min_available = api::IntOrPercent::Count(1);
  ASSERT_TRUE(cluster_.PodDisruptionBudgets().Create(budget));
  AddPod(PendingWithPriority("high", 100, 2));

  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(PodNames(), (std::vector<std::string>{"high", "x"}));
  EXPECT_EQ(NominatedNode("high"), "a");
}

TEST_F(BinderPreemptionTest, ANominatedPodKeepsItsRoomFromLowerPriorityPods) {
  AddNode(ReadyNode("a", 4));
  api::Pod old = RunningPod("old", "a", 0, 2);
  old.metadata.finalizers = {"example.com/hold"};
  AddPod(old);
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "old"}));  // terminating: still holds 2 cores
  api::Pod high = PendingWithPriority("high", 100, 4);
  AddPod(high);
  ASSERT_TRUE(cluster_.Pods().Patch({"default", "high"},
                                    [](api::Pod& pod) { pod.status.nominated_node_name = "a"; }));
  AddPod(PendingWithPriority("mid", 50, 2));

  // 2 cores are free, but "high" is nominated to "a" and waits for "old": "mid" may neither
  // take the room nor preempt for it.
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("mid"), "");
  EXPECT_EQ(NominatedNode("mid"), "");
  EXPECT_EQ(NominatedNode("high"), "a");
  EXPECT_EQ(binder_.preemptions(), 0u);

  ASSERT_TRUE(cluster_.Pods().Patch({"default", "old"},
                                    [](api::Pod& pod) { pod.metadata.finalizers.clear(); }));
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("high"), "a");
  EXPECT_EQ(NodeOf("mid"), "");
}

TEST_F(BinderPreemptionTest, ClearsANominationNoNodeCanHonour) {
  AddNode(ReadyNode("a", 2));
  AddPod(RunningPod("peer", "a", 5, 2));
  AddPod(PendingWithPriority("lost", 5, 2));
  ASSERT_TRUE(cluster_.Pods().Patch(
      {"default", "lost"}, [](api::Pod& pod) { pod.status.nominated_node_name = "gone"; }));
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NominatedNode("lost"), "");
  EXPECT_EQ(FindPodCondition(*Pod("lost"), "PodScheduled")->reason, "Unschedulable");
}

// Over-provisioning: a low-priority pause Deployment holds a node's room; a real pod preempts
// its pod, which the ReplicaSet recreates pending and unschedulable (for Karpenter to
// provision), while the real pod binds where the pause pod was.
TEST_F(BinderPreemptionTest, OverProvisioningHeadroomIsHandedToARealPod) {
  WorkloadController workloads(cluster_);
  api::PriorityClass headroom;
  headroom.metadata.name = "overprovisioning";
  headroom.value = -1;
  ASSERT_TRUE(cluster_.PriorityClasses().Create(headroom));
  api::Deployment pause;
  pause.metadata.namespace_ = "default";
  pause.metadata.name = "pause";
  pause.replicas = 1;
  pause.selector = core::LabelSelector{{{"app", "pause"}}, {}};
  pause.pod_template.metadata.labels = {{"app", "pause"}};
  pause.pod_template.spec = PendingPod("ignored", 3).spec;
  pause.pod_template.spec.priority_class_name = "overprovisioning";
  ASSERT_TRUE(cluster_.Deployments().Create(pause));
  AddNode(ReadyNode("a", 4));
  workloads.Step();
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("pause-sim-0"), "a");

  AddPod(PendingPod("app", 2));
  EXPECT_EQ(binder_.Step(), 0u);
  EXPECT_EQ(NodeOf("pause-sim-0"), "<gone>");
  EXPECT_EQ(NominatedNode("app"), "a");
  workloads.Step();  // the pause pod comes back, pending
  EXPECT_EQ(binder_.Step(), 1u);
  EXPECT_EQ(NodeOf("app"), "a");
  auto replacement = Pod("pause-sim-0");
  ASSERT_NE(replacement, nullptr);
  EXPECT_EQ(replacement->spec.node_name, "");
  EXPECT_EQ(replacement->status.nominated_node_name, "");
  EXPECT_EQ(FindPodCondition(*replacement, "PodScheduled")->reason, "Unschedulable");
  EXPECT_EQ(binder_.preempted_pods(), 1u);
}

}  // namespace
}  // namespace karpenter::sim
