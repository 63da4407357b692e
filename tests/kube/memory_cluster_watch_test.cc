// Watches of the in-memory cluster: queued, delivered by Deliver() in write order across kinds.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kube/memory_cluster.h"
#include "kube_test_util.h"

namespace karpenter::kube {
namespace {

using testing::MakePod;
using testing::Named;
using testing::Recorder;

class WatchTest : public ::testing::Test {
 protected:
  core::ManualClock clock_{testing::StartTime()};
  MemoryCluster cluster_{clock_};
  Recorder recorder_;
};

TEST_F(WatchTest, EventsWaitForDeliver) {
  recorder_.Attach(cluster_.Pods());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "web")).has_value());
  EXPECT_TRUE(recorder_.events.empty());
  EXPECT_EQ(cluster_.PendingEvents(), 1u);
  EXPECT_EQ(cluster_.Deliver(), 1u);
  EXPECT_EQ(recorder_.events, std::vector<std::string>{"ADDED default/web rv=1"});
  EXPECT_EQ(cluster_.Deliver(), 0u);
}

TEST_F(WatchTest, EventsOfAllKindsComeInWriteOrder) {
  recorder_.Attach(cluster_.Nodes(), "Node");
  recorder_.Attach(cluster_.Pods(), "Pod");
  recorder_.Attach(cluster_.NodeClaims(), "NodeClaim");
  ASSERT_TRUE(cluster_.NodeClaims().Create(Named<api::NodeClaim>("", "claim")).has_value());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "web")).has_value());
  ASSERT_TRUE(cluster_.Nodes().Create(Named<api::Node>("", "node-a")).has_value());
  ASSERT_TRUE(cluster_.Pods()
                  .Patch({"default", "web"}, [](api::Pod& pod) { pod.spec.node_name = "node-a"; })
                  .has_value());
  ASSERT_TRUE(cluster_.NodeClaims().Delete({"", "claim"}).has_value());
  EXPECT_EQ(cluster_.Deliver(), 5u);
  EXPECT_EQ(recorder_.events,
            (std::vector<std::string>{"NodeClaim ADDED claim rv=1", "Pod ADDED default/web rv=2",
                                      "Node ADDED node-a rv=3", "Pod MODIFIED default/web rv=4",
                                      "NodeClaim DELETED claim rv=5"}));
}

TEST_F(WatchTest, AHandlerSeesOnlyWritesAfterItsWatch) {
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "before")).has_value());
  Recorder early;
  early.Attach(cluster_.Pods());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "middle")).has_value());
  recorder_.Attach(cluster_.Pods());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "after")).has_value());
  EXPECT_EQ(cluster_.Deliver(), 2u);  // "before" was written when nobody watched
  EXPECT_EQ(early.events,
            (std::vector<std::string>{"ADDED default/middle rv=2", "ADDED default/after rv=3"}));
  EXPECT_EQ(recorder_.events, std::vector<std::string>{"ADDED default/after rv=3"});
}

TEST_F(WatchTest, WritesOfHandlersAreDeliveredInTheSameCall) {
  cluster_.Pods().Watch([this](const WatchEvent<api::Pod>& event) {
    const std::string& name = event.object->metadata.name;
    if (event.type != EventType::kAdded || name.ends_with("-child")) return;
    ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", name + "-child")).has_value());
  });
  recorder_.Attach(cluster_.Pods());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "a")).has_value());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "b")).has_value());
  EXPECT_EQ(cluster_.Deliver(), 4u);
  EXPECT_EQ(recorder_.events,
            (std::vector<std::string>{"ADDED default/a rv=1", "ADDED default/b rv=2",
                                      "ADDED default/a-child rv=3", "ADDED default/b-child rv=4"}));
  EXPECT_EQ(cluster_.PendingEvents(), 0u);
}

TEST_F(WatchTest, AWriteLoopStopsAtTheLimitAndStaysQueued) {
  int calls = 0;
  const WatchId id = cluster_.Pods().Watch([&](const WatchEvent<api::Pod>& event) {
    ++calls;
    const std::string& name = event.object->metadata.name;
    ASSERT_TRUE(cluster_.Pods()
                    .Patch({"default", name},
                           [&](api::Pod& pod) {
                             pod.metadata.annotations["count"] = std::to_string(calls);
                           })
                    .has_value());
  });
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "loop")).has_value());
  EXPECT_EQ(cluster_.Deliver(100), 100u);
  EXPECT_EQ(calls, 100);
  EXPECT_EQ(cluster_.PendingEvents(), 1u);
  cluster_.Pods().Unwatch(id);
  EXPECT_EQ(cluster_.Deliver(), 1u);  // taken from the queue, but nobody listens any more
  EXPECT_EQ(calls, 100);
  EXPECT_EQ(cluster_.PendingEvents(), 0u);
}

TEST_F(WatchTest, UnwatchStopsDeliveryEvenOfQueuedEvents) {
  const WatchId id = cluster_.Pods().Watch([](const WatchEvent<api::Pod>&) { FAIL(); });
  recorder_.Attach(cluster_.Pods());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "web")).has_value());
  cluster_.Pods().Unwatch(id);
  cluster_.Pods().Unwatch(12345);  // unknown ids are ignored
  EXPECT_EQ(cluster_.Deliver(), 1u);
  EXPECT_EQ(recorder_.events, std::vector<std::string>{"ADDED default/web rv=1"});
}

TEST_F(WatchTest, HandlersMayUnwatchWhileDelivering) {
  std::vector<std::string> calls;
  WatchId self = 0;
  WatchId later = 0;
  self = cluster_.Pods().Watch([&](const WatchEvent<api::Pod>&) {
    calls.push_back("self");
    cluster_.Pods().Unwatch(self);
    cluster_.Pods().Unwatch(later);
  });
  later = cluster_.Pods().Watch([&](const WatchEvent<api::Pod>&) { calls.push_back("later"); });
  cluster_.Pods().Watch([&](const WatchEvent<api::Pod>&) { calls.push_back("last"); });
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "a")).has_value());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "b")).has_value());
  EXPECT_EQ(cluster_.Deliver(), 2u);
  EXPECT_EQ(calls, (std::vector<std::string>{"self", "last", "last"}));
}

TEST_F(WatchTest, DeliverInsideAHandlerDeliversNothing) {
  size_t nested = 99;
  cluster_.Pods().Watch([&](const WatchEvent<api::Pod>&) { nested = cluster_.Deliver(); });
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "a")).has_value());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "b")).has_value());
  EXPECT_EQ(cluster_.Deliver(), 2u);
  EXPECT_EQ(nested, 0u);
}

TEST_F(WatchTest, NothingIsQueuedWithoutWatchers) {
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "a")).has_value());
  recorder_.Attach(cluster_.Nodes());
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "b")).has_value());
  EXPECT_EQ(cluster_.PendingEvents(), 0u);
}

TEST_F(WatchTest, DeletedEventsCarryTheLastVersion) {
  std::vector<WatchEvent<api::Pod>> events;
  cluster_.Pods().Watch([&](const WatchEvent<api::Pod>& event) { events.push_back(event); });
  api::Pod pod = MakePod("default", "web", {{"app", "web"}});
  ASSERT_TRUE(cluster_.Pods().Create(pod).has_value());
  ASSERT_TRUE(cluster_.Pods().Delete({"default", "web"}).has_value());
  cluster_.Deliver();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, EventType::kDeleted);
  EXPECT_EQ(events[1].object->metadata.labels, (api::Labels{{"app", "web"}}));
  EXPECT_EQ(events[1].object->metadata.uid, "uid-1");
  EXPECT_EQ(events[1].object->metadata.resource_version, "2");
}

}  // namespace
}  // namespace karpenter::kube
