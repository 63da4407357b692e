// Delete, finalizers and deletionTimestamp in the in-memory cluster.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kube/memory_cluster.h"
#include "kube_test_util.h"

namespace karpenter::kube {
namespace {

using testing::kStartSeconds;
using testing::MakePod;
using testing::Named;
using testing::Outcome;
using testing::Recorder;

class DeleteTest : public ::testing::Test {
 protected:
  ObjectPtr<api::Pod> CreatePod(std::vector<std::string> finalizers = {}) {
    api::Pod pod = MakePod("default", "web");
    pod.metadata.finalizers = std::move(finalizers);
    return *cluster_.Pods().Create(pod);
  }

  core::ManualClock clock_{testing::StartTime()};
  MemoryCluster cluster_{clock_};
  Recorder recorder_;
};

TEST_F(DeleteTest, WithoutFinalizersTheObjectGoesAtOnce) {
  recorder_.Attach(cluster_.Pods());
  CreatePod();
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"})), "ok");
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"default", "web"})),
            "NotFound: Pod \"default/web\" not found");
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"})),
            "NotFound: Pod \"default/web\" not found");
  EXPECT_EQ(cluster_.Deliver(), 2u);
  // The deletion is a revision of its own.
  EXPECT_EQ(recorder_.events,
            (std::vector<std::string>{"ADDED default/web rv=1", "DELETED default/web rv=2"}));
  // The name is free again, for a new object with a new uid.
  auto again = cluster_.Pods().Create(MakePod("default", "web"));
  EXPECT_EQ((*again)->metadata.uid, "uid-2");
}

TEST_F(DeleteTest, WithFinalizersTheObjectWaitsForThem) {
  recorder_.Attach(cluster_.Pods());
  CreatePod({"example.com/a", "example.com/b"});
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"})), "ok");
  auto terminating = *cluster_.Pods().Get({"default", "web"});
  EXPECT_EQ(terminating->metadata.deletion_timestamp, kStartSeconds + 30);
  EXPECT_EQ(terminating->metadata.resource_version, "2");

  // Deleting again changes nothing.
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"})), "ok");
  EXPECT_EQ((*cluster_.Pods().Get({"default", "web"}))->metadata.deletion_timestamp,
            kStartSeconds + 30);
  EXPECT_EQ(cluster_.LastResourceVersion(), 2);

  // Removing one finalizer keeps it; the last one completes the deletion.
  api::Pod one_left = *terminating;
  one_left.metadata.finalizers = {"example.com/b"};
  auto updated = cluster_.Pods().Update(one_left);
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"default", "web"})), "ok");
  api::Pod none_left = **updated;
  none_left.metadata.finalizers.clear();
  auto last = cluster_.Pods().Update(none_left);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ((*last)->metadata.finalizers, std::vector<std::string>{});
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"default", "web"})),
            "NotFound: Pod \"default/web\" not found");
  cluster_.Deliver();
  EXPECT_EQ(recorder_.events,
            (std::vector<std::string>{"ADDED default/web rv=1", "MODIFIED default/web rv=2",
                                      "MODIFIED default/web rv=3", "MODIFIED default/web rv=4",
                                      "DELETED default/web rv=5"}));
}

TEST_F(DeleteTest, PatchRemovingTheLastFinalizerCompletesTheDeletion) {
  CreatePod({"example.com/a"});
  ASSERT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"})), "ok");
  recorder_.Attach(cluster_.Pods());
  EXPECT_EQ(Outcome(cluster_.Pods().Patch({"default", "web"},
                                          [](api::Pod& pod) { pod.metadata.finalizers.clear(); })),
            "ok");
  cluster_.Deliver();
  EXPECT_EQ(recorder_.events,
            (std::vector<std::string>{"MODIFIED default/web rv=3", "DELETED default/web rv=4"}));
}

TEST_F(DeleteTest, ATerminatingObjectGainsNoFinalizersButMayChangeOtherwise) {
  CreatePod({"example.com/a"});
  ASSERT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"})), "ok");
  auto terminating = *cluster_.Pods().Get({"default", "web"});

  api::Pod more = *terminating;
  more.metadata.finalizers.push_back("example.com/new");
  more.metadata.finalizers.push_back("example.com/other");
  const std::string refused =
      "Invalid: Pod \"default/web\": metadata.finalizers: Forbidden: no new finalizers can be "
      "added if the object is being deleted, found new finalizers [\"example.com/new\", "
      "\"example.com/other\"]";
  EXPECT_EQ(Outcome(cluster_.Pods().Update(more)), refused);
  EXPECT_EQ(Outcome(cluster_.Pods().Patch(
                {"default", "web"},
                [](api::Pod& pod) {
                  pod.metadata.finalizers = {"example.com/new", "example.com/other"};
                })),
            refused);

  // Labels, spec and status may still change; the deletionTimestamp stays.
  api::Pod relabelled = *terminating;
  relabelled.metadata.labels["drained"] = "true";
  relabelled.spec.node_name = "node-a";
  relabelled.metadata.deletion_timestamp.reset();
  auto updated = cluster_.Pods().Update(relabelled);
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ((*updated)->metadata.labels.at("drained"), "true");
  EXPECT_EQ((*updated)->metadata.deletion_timestamp, kStartSeconds);
  EXPECT_EQ((*updated)->metadata.finalizers, std::vector<std::string>{"example.com/a"});

  // Finalizers are refused only while terminating.
  api::Node node = Named<api::Node>("", "node-a");
  auto stored = *cluster_.Nodes().Create(node);
  api::Node finalized = *stored;
  finalized.metadata.finalizers = {"karpenter.sh/termination"};
  EXPECT_EQ(Outcome(cluster_.Nodes().Update(finalized)), "ok");
}

TEST_F(DeleteTest, DeleteWithAResourceVersionPrecondition) {
  auto pod = CreatePod();
  DeleteOptions stale;
  stale.resource_version = "9";
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"}, stale)),
            "Conflict: Operation cannot be fulfilled on Pod \"default/web\": the object has been "
            "modified; please apply your changes to the latest version and try again");
  DeleteOptions current;
  current.resource_version = pod->metadata.resource_version;
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"}, current)), "ok");
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"default", "web"})).substr(0, 9), "NotFound:");
}

TEST_F(DeleteTest, ForegroundWithoutDependentsIsAPlainDelete) {
  CreatePod();
  DeleteOptions foreground;
  foreground.propagation = DeleteOptions::Propagation::kForeground;
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"}, foreground)), "ok");
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"default", "web"})).substr(0, 9), "NotFound:");

  CreatePod({"example.com/a"});
  EXPECT_EQ(Outcome(cluster_.Pods().Delete({"default", "web"}, foreground)), "ok");
  EXPECT_EQ((*cluster_.Pods().Get({"default", "web"}))->metadata.finalizers,
            std::vector<std::string>{"example.com/a"});
}

}  // namespace
}  // namespace karpenter::kube
