#include "controllers/pod_events.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "controllers/lifecycle_keys.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "kube/memory_cluster.h"

namespace karpenter::controllers {
namespace {

using std::chrono::seconds;

constexpr int64_t kStart = 1704067200;  // 2024-01-01T00:00:00Z

class PodEventsTest : public ::testing::Test {
 protected:
  PodEventsTest() : clock_(core::Time{seconds(kStart)}), cluster_(clock_), manager_(clock_) {}

  void Start() {
    controller_ = PodEventsController::Register(manager_, cluster_, clock_);
    ASSERT_NE(controller_, nullptr);
  }
  // node-1 with a NodeClaim joined to it; `by_name` false joins by providerID only.
  void AddNode(const std::string& node = "node-1", const std::string& claim = "claim-1",
               bool by_name = true) {
    api::Node object;
    object.metadata.name = node;
    object.spec.provider_id = "aws:///zone-a/" + claim;
    ASSERT_TRUE(cluster_.Nodes().Create(object));
    api::NodeClaim nc;
    nc.metadata.name = claim;
    if (by_name) nc.status.node_name = node;
    nc.status.provider_id = object.spec.provider_id;
    ASSERT_TRUE(cluster_.NodeClaims().Create(nc));
  }
  api::Pod Pod(const std::string& name, const std::string& node) {
    api::Pod pod;
    pod.metadata.namespace_ = "default";
    pod.metadata.name = name;
    pod.spec.node_name = node;
    return pod;
  }
  void Run() {
    for (int i = 0; i < 10; ++i) {
      cluster_.Deliver();
      manager_.RunDue();
      if (cluster_.PendingEvents() == 0) break;
    }
  }
  void Advance(int s) { clock_.Advance(seconds(s)); }
  std::optional<int64_t> LastEvent(const std::string& claim = "claim-1") {
    auto got = cluster_.NodeClaims().Get({"", claim});
    if (!got) return std::nullopt;
    return (*got)->status.last_pod_event_time;
  }
  int64_t Now() const { return EpochSeconds(clock_.Now()); }

  core::ManualClock clock_;
  kube::MemoryCluster cluster_;
  Manager manager_;
  PodEventsController* controller_ = nullptr;
};

TEST_F(PodEventsTest, PodCreatedBoundMarksTheNodeClaim) {
  AddNode();
  Start();
  Advance(3);
  ASSERT_TRUE(cluster_.Pods().Create(Pod("p", "node-1")));
  Run();
  EXPECT_EQ(LastEvent(), Now());
  EXPECT_EQ(controller_->writes(), 1u);
}

TEST_F(PodEventsTest, BindingAPendingPodMarksTheNodeClaim) {
  AddNode();
  Start();
  ASSERT_TRUE(cluster_.Pods().Create(Pod("p", "")));
  Run();
  EXPECT_EQ(LastEvent(), std::nullopt);
  Advance(7);
  ASSERT_TRUE(cluster_.Bind({"default", "p"}, "node-1"));
  Run();
  EXPECT_EQ(LastEvent(), Now());
}

TEST_F(PodEventsTest, WritesWithinTheDedupeWindowAreSkipped) {
  AddNode();
  Start();
  ASSERT_TRUE(cluster_.Pods().Create(Pod("a", "node-1")));
  Run();
  const int64_t first = Now();
  Advance(9);  // inside upstream's 10 s window
  ASSERT_TRUE(cluster_.Pods().Create(Pod("b", "node-1")));
  Run();
  EXPECT_EQ(LastEvent(), first);
  Advance(1);  // exactly 10 s later: outside it
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "b"}));
  Run();
  EXPECT_EQ(LastEvent(), first + 10);
  EXPECT_EQ(controller_->writes(), 2u);
}

TEST_F(PodEventsTest, LeavingTerminalAndTerminatingAreEvents) {
  AddNode();
  api::Pod finishing = Pod("finishing", "node-1");
  finishing.status.phase = "Running";
  ASSERT_TRUE(cluster_.Pods().Create(finishing));
  api::Pod held = Pod("held", "node-1");
  held.metadata.finalizers = {"example.com/hold"};
  ASSERT_TRUE(cluster_.Pods().Create(held));
  Start();
  Run();
  EXPECT_EQ(LastEvent(), std::nullopt);  // pods already there at start are not events

  Advance(20);
  ASSERT_TRUE(cluster_.Pods().Patch({"default", "finishing"},
                                    [](api::Pod& pod) { pod.status.phase = "Succeeded"; }));
  Run();
  EXPECT_EQ(LastEvent(), Now());

  Advance(20);
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "held"}));  // finalizer: terminating
  Run();
  EXPECT_EQ(LastEvent(), Now());

  // The terminal pod going away, and the terminating one finishing, are not new events.
  Advance(20);
  const int64_t before = Now() - 20;
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "finishing"}));
  ASSERT_TRUE(cluster_.Pods().Patch({"default", "held"},
                                    [](api::Pod& pod) { pod.metadata.finalizers.clear(); }));
  Run();
  EXPECT_EQ(LastEvent(), before);
}

TEST_F(PodEventsTest, DaemonSetPodsAndUnmanagedNodesAreIgnored) {
  AddNode();
  api::Node other;
  other.metadata.name = "unmanaged";
  ASSERT_TRUE(cluster_.Nodes().Create(other));
  Start();
  api::Pod daemon = Pod("ds-pod", "node-1");
  daemon.metadata.owner_references.push_back({"apps/v1", "DaemonSet", "ds", "ds-uid", true, true});
  ASSERT_TRUE(cluster_.Pods().Create(daemon));
  ASSERT_TRUE(cluster_.Pods().Create(Pod("elsewhere", "unmanaged")));
  Run();
  EXPECT_EQ(LastEvent(), std::nullopt);
  EXPECT_EQ(controller_->writes(), 0u);
}

TEST_F(PodEventsTest, FindsANodeClaimByProviderIdBeforeItRecordsTheNodeName) {
  AddNode("node-2", "claim-2", /*by_name=*/false);
  Start();
  ASSERT_TRUE(cluster_.Pods().Create(Pod("p", "node-2")));
  Run();
  EXPECT_EQ(LastEvent("claim-2"), Now());
}

}  // namespace
}  // namespace karpenter::controllers
