// Create, Get, List, Update, UpdateStatus and Patch of the in-memory cluster.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kube/memory_cluster.h"
#include "kube_test_util.h"

namespace karpenter::kube {
namespace {

using testing::ErrorOf;
using testing::kStartSeconds;
using testing::MakePod;
using testing::Named;
using testing::Outcome;
using testing::Recorder;

class CrudTest : public ::testing::Test {
 protected:
  core::ManualClock clock_{testing::StartTime()};
  MemoryCluster cluster_{clock_};
};

ListOptions Options(std::optional<std::string> ns,
                    std::optional<core::LabelSelector> selector = std::nullopt) {
  ListOptions options;
  options.namespace_ = std::move(ns);
  options.selector = std::move(selector);
  return options;
}

std::vector<std::string> Keys(const std::vector<ObjectPtr<api::Pod>>& pods) {
  std::vector<std::string> keys;
  for (const auto& pod : pods) keys.push_back(pod->metadata.namespace_ + "/" + pod->metadata.name);
  return keys;
}

TEST(ApiErrorCode, NamesAreTheStatusReasons) {
  EXPECT_EQ(ToString(ApiErrorCode::kNotFound), "NotFound");
  EXPECT_EQ(ToString(ApiErrorCode::kAlreadyExists), "AlreadyExists");
  EXPECT_EQ(ToString(ApiErrorCode::kConflict), "Conflict");
  EXPECT_EQ(ToString(ApiErrorCode::kInvalid), "Invalid");
  EXPECT_EQ(ToString(ApiErrorCode::kTooManyRequests), "TooManyRequests");
}

TEST_F(CrudTest, CreateSetsTheServerFields) {
  auto pod = cluster_.Pods().Create(MakePod("default", "web"));
  ASSERT_TRUE(pod.has_value()) << ErrorOf(pod.error());
  EXPECT_EQ((*pod)->metadata.uid, "uid-1");
  EXPECT_EQ((*pod)->metadata.resource_version, "1");
  EXPECT_EQ((*pod)->metadata.generation, 1);
  EXPECT_EQ((*pod)->metadata.creation_timestamp, kStartSeconds);
  EXPECT_EQ((*pod)->metadata.deletion_timestamp, std::nullopt);
  EXPECT_EQ((*pod)->status.phase, "Pending");

  clock_.Advance(std::chrono::seconds(90));
  api::Node node = Named<api::Node>("ignored", "node-a");
  node.metadata.uid = "mine";
  node.metadata.deletion_timestamp = 5;
  auto stored = cluster_.Nodes().Create(node);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ((*stored)->metadata.namespace_, "");
  EXPECT_EQ((*stored)->metadata.uid, "uid-2");
  EXPECT_EQ((*stored)->metadata.resource_version, "2");
  EXPECT_EQ((*stored)->metadata.creation_timestamp, kStartSeconds + 90);
  EXPECT_EQ((*stored)->metadata.deletion_timestamp, std::nullopt);
  EXPECT_EQ(cluster_.LastResourceVersion(), 2);

  api::Pod running = MakePod("default", "running");
  running.status.phase = "Running";
  EXPECT_EQ((*cluster_.Pods().Create(running))->status.phase, "Running");
}

TEST_F(CrudTest, CreateRefusals) {
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "web")).has_value());
  EXPECT_EQ(Outcome(cluster_.Pods().Create(MakePod("default", "web"))),
            "AlreadyExists: Pod \"default/web\" already exists");
  EXPECT_EQ(Outcome(cluster_.Pods().Create(MakePod("default", ""))),
            "Invalid: Pod: metadata.name: Required value: name or generateName is required");
  EXPECT_EQ(Outcome(cluster_.Pods().Create(MakePod("", "web"))),
            "Invalid: Pod: metadata.namespace: Required value");
  api::Pod versioned = MakePod("default", "other");
  versioned.metadata.resource_version = "7";
  EXPECT_EQ(Outcome(cluster_.Pods().Create(versioned)),
            "Invalid: Pod: resourceVersion should not be set on objects to be created");
  // The same name in another namespace is another object.
  EXPECT_EQ(Outcome(cluster_.Pods().Create(MakePod("other", "web"))), "ok");
  // Refused writes take no revision.
  EXPECT_EQ(cluster_.LastResourceVersion(), 2);
}

TEST_F(CrudTest, GenerateNameIsDeterministicAndSkipsTakenNames) {
  api::Pod generated = MakePod("default", "");
  generated.metadata.generate_name = "web-";
  auto first = cluster_.Pods().Create(generated);
  auto second = cluster_.Pods().Create(generated);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ((*first)->metadata.name, "web-c642g");
  EXPECT_NE((*second)->metadata.name, (*first)->metadata.name);
  EXPECT_EQ((*second)->metadata.name.substr(0, 4), "web-");
  EXPECT_EQ((*second)->metadata.name.size(), 9u);

  // Another cluster whose first generated name is taken draws the next one.
  MemoryCluster other(clock_);
  ASSERT_TRUE(other.Pods().Create(MakePod("default", "web-c642g")).has_value());
  auto drawn = other.Pods().Create(generated);
  ASSERT_TRUE(drawn.has_value());
  EXPECT_EQ((*drawn)->metadata.name, (*second)->metadata.name);
}

TEST_F(CrudTest, GetFindsTheStoredVersionOrNotFound) {
  auto created = cluster_.Pods().Create(MakePod("default", "web"));
  auto got = cluster_.Pods().Get({"default", "web"});
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->get(), created->get());  // the same immutable version, not a copy
  EXPECT_EQ(Outcome(cluster_.Pods().Get({"default", "nope"})),
            "NotFound: Pod \"default/nope\" not found");
  EXPECT_EQ(Outcome(cluster_.Nodes().Get({"", "node-9"})), "NotFound: Node \"node-9\" not found");
}

TEST_F(CrudTest, ListIsSortedAndFilters) {
  for (auto [ns, name, app] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"b", "z", "web"},
                                                                      {"a", "y", "db"},
                                                                      {"b", "a", "db"},
                                                                      {"a", "x", "web"},
                                                                      {"c", "m", "web"}}) {
    ASSERT_TRUE(cluster_.Pods().Create(MakePod(ns, name, {{"app", app}})).has_value());
  }
  EXPECT_EQ(Keys(cluster_.Pods().List()),
            (std::vector<std::string>{"a/x", "a/y", "b/a", "b/z", "c/m"}));
  EXPECT_EQ(Keys(cluster_.Pods().List(Options("b"))), (std::vector<std::string>{"b/a", "b/z"}));
  EXPECT_EQ(Keys(cluster_.Pods().List(Options("nope"))), (std::vector<std::string>{}));

  core::LabelSelector web;
  web.match_labels = {{"app", "web"}};
  EXPECT_EQ(Keys(cluster_.Pods().List(Options(std::nullopt, web))),
            (std::vector<std::string>{"a/x", "b/z", "c/m"}));
  EXPECT_EQ(Keys(cluster_.Pods().List(Options("a", web))), (std::vector<std::string>{"a/x"}));
  EXPECT_EQ(Keys(cluster_.Pods().List(Options(std::nullopt, core::LabelSelector{}))).size(), 5u);

  ASSERT_TRUE(cluster_.Nodes().Create(Named<api::Node>("", "n2")).has_value());
  ASSERT_TRUE(cluster_.Nodes().Create(Named<api::Node>("", "n1")).has_value());
  auto nodes = cluster_.Nodes().List();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0]->metadata.name, "n1");
  EXPECT_EQ(nodes[1]->metadata.name, "n2");
  EXPECT_EQ(cluster_.Pods().List()[0].get(), cluster_.Pods().Get({"a", "x"})->get());
}

TEST_F(CrudTest, ForEachVisitsWhatListReturnsAndWritesDuringTheWalkShowAfterIt) {
  for (const char* name : {"c", "a", "b"}) {
    ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", name)).has_value());
  }
  auto seen = [](const api::Pod& pod) {
    auto it = pod.metadata.labels.find("seen");
    return pod.metadata.name + ":" + (it == pod.metadata.labels.end() ? "" : it->second);
  };
  std::vector<std::string> visited;
  cluster_.Pods().ForEach([&](const ObjectPtr<api::Pod>& pod) {
    visited.push_back(seen(*pod));
    // Writes while walking: the walk goes on over the objects as they were.
    if (pod->metadata.name == "a") {
      ASSERT_TRUE(cluster_.Pods().Delete({"default", "b"}).has_value());
      ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "aa")).has_value());
      ASSERT_TRUE(cluster_.Pods()
                      .Patch({"default", "c"},
                             [](api::Pod& stored) { stored.metadata.labels["seen"] = "yes"; })
                      .has_value());
    }
  });
  EXPECT_EQ(visited, (std::vector<std::string>{"a:", "b:", "c:"}));
  EXPECT_EQ(Keys(cluster_.Pods().List()),
            (std::vector<std::string>{"default/a", "default/aa", "default/c"}));
  visited.clear();
  cluster_.Pods().ForEach([&](const ObjectPtr<api::Pod>& pod) { visited.push_back(seen(*pod)); });
  EXPECT_EQ(visited, (std::vector<std::string>{"a:", "aa:", "c:yes"}));
}

TEST_F(CrudTest, UpdateNeedsTheStoredResourceVersion) {
  auto created = *cluster_.Pods().Create(MakePod("default", "web"));
  api::Pod stale = *created;
  api::Pod fresh = *created;
  fresh.metadata.labels["a"] = "1";
  auto updated = cluster_.Pods().Update(fresh);
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ((*updated)->metadata.resource_version, "2");

  stale.metadata.labels["b"] = "2";
  EXPECT_EQ(Outcome(cluster_.Pods().Update(stale)),
            "Conflict: Operation cannot be fulfilled on Pod \"default/web\": the object has been "
            "modified; please apply your changes to the latest version and try again");
  api::Pod unversioned = **updated;
  unversioned.metadata.resource_version.clear();
  EXPECT_EQ(Outcome(cluster_.Pods().Update(unversioned)),
            "Conflict: Operation cannot be fulfilled on Pod \"default/web\": "
            "metadata.resourceVersion must be specified for an update");
  api::Pod other_uid = **updated;
  other_uid.metadata.uid = "uid-99";
  EXPECT_EQ(Outcome(cluster_.Pods().Update(other_uid)),
            "Conflict: Operation cannot be fulfilled on Pod \"default/web\": Precondition "
            "failed: UID in precondition: uid-99, UID in object meta: uid-1");
  EXPECT_EQ(Outcome(cluster_.Pods().Update(MakePod("default", "ghost"))),
            "NotFound: Pod \"default/ghost\" not found");
  EXPECT_EQ(cluster_.Pods().Get({"default", "web"}).value()->metadata.labels,
            (api::Labels{{"a", "1"}}));
}

TEST_F(CrudTest, GenerationGrowsOnSpecChangesOnly) {
  auto pod = *cluster_.Pods().Create(MakePod("default", "web"));
  api::Pod labelled = *pod;
  labelled.metadata.labels["team"] = "a";
  labelled.metadata.annotations["note"] = "x";
  pod = *cluster_.Pods().Update(labelled);
  EXPECT_EQ(pod->metadata.generation, 1);

  api::Pod changed = *pod;
  changed.spec.node_selector["zone"] = "a";
  pod = *cluster_.Pods().Update(changed);
  EXPECT_EQ(pod->metadata.generation, 2);
  EXPECT_EQ(pod->metadata.resource_version, "3");

  // Server fields in the request are ignored.
  api::Pod forged = *pod;
  forged.metadata.generation = 40;
  forged.metadata.creation_timestamp = 1;
  forged.metadata.deletion_timestamp = 2;
  forged.metadata.labels["x"] = "y";
  pod = *cluster_.Pods().Update(forged);
  EXPECT_EQ(pod->metadata.generation, 2);
  EXPECT_EQ(pod->metadata.creation_timestamp, kStartSeconds);
  EXPECT_EQ(pod->metadata.deletion_timestamp, std::nullopt);
}

TEST_F(CrudTest, UpdateKeepsTheStatusAndUpdateStatusKeepsTheRest) {
  auto pod = *cluster_.Pods().Create(MakePod("default", "web"));
  api::Pod request = *pod;
  request.status.phase = "Running";
  request.spec.node_name = "node-a";
  pod = *cluster_.Pods().Update(request);
  EXPECT_EQ(pod->status.phase, "Pending");
  EXPECT_EQ(pod->spec.node_name, "node-a");
  EXPECT_EQ(pod->metadata.generation, 2);

  request = *pod;
  request.status.phase = "Running";
  request.spec.node_name = "node-b";
  request.metadata.labels["ignored"] = "yes";
  auto status = cluster_.Pods().UpdateStatus(request);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)->status.phase, "Running");
  EXPECT_EQ((*status)->spec.node_name, "node-a");
  EXPECT_EQ((*status)->metadata.labels, api::Labels{});
  EXPECT_EQ((*status)->metadata.generation, 2);
  EXPECT_EQ((*status)->metadata.resource_version, "3");

  // Same concurrency rule: `request` still carries resourceVersion 2.
  EXPECT_EQ(Outcome(cluster_.Pods().UpdateStatus(request)).substr(0, 9), "Conflict:");

  auto deployment = *cluster_.Deployments().Create(Named<api::Deployment>("default", "web"));
  EXPECT_EQ(Outcome(cluster_.Deployments().UpdateStatus(*deployment)),
            "Invalid: Deployment \"default/web\": this kind has no status subresource");
}

TEST_F(CrudTest, PatchAppliesToTheLatestVersionWithoutConflict) {
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "web")).has_value());
  ASSERT_TRUE(cluster_.Pods()
                  .Patch({"default", "web"}, [](api::Pod& pod) { pod.metadata.labels["a"] = "1"; })
                  .has_value());
  auto patched = cluster_.Pods().Patch({"default", "web"}, [](api::Pod& pod) {
    pod.metadata.labels["b"] = "2";
    pod.status.phase = "Running";
    pod.spec.priority = 5;
    pod.metadata.name = "renamed";  // server fields cannot be patched
    pod.metadata.uid = "forged";
  });
  ASSERT_TRUE(patched.has_value());
  EXPECT_EQ((*patched)->metadata.labels, (api::Labels{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ((*patched)->status.phase, "Running");
  EXPECT_EQ((*patched)->metadata.generation, 2);
  EXPECT_EQ((*patched)->metadata.name, "web");
  EXPECT_EQ((*patched)->metadata.uid, "uid-1");
  EXPECT_EQ((*patched)->metadata.resource_version, "3");
  EXPECT_EQ(Outcome(cluster_.Pods().Patch({"default", "nope"}, [](api::Pod&) {})),
            "NotFound: Pod \"default/nope\" not found");
}

TEST_F(CrudTest, AWriteThatChangesNothingTakesNoRevisionAndNoEvent) {
  Recorder recorder;
  recorder.Attach(cluster_.Pods());
  auto pod = *cluster_.Pods().Create(MakePod("default", "web"));
  auto same = cluster_.Pods().Update(*pod);
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->get(), pod.get());
  EXPECT_TRUE(cluster_.Pods().Patch({"default", "web"}, [](api::Pod&) {}).has_value());
  EXPECT_TRUE(cluster_.Pods().UpdateStatus(*pod).has_value());
  EXPECT_EQ(cluster_.LastResourceVersion(), 1);
  EXPECT_EQ(cluster_.Deliver(), 1u);
  EXPECT_EQ(recorder.events, (std::vector<std::string>{"ADDED default/web rv=1"}));
}

TEST_F(CrudTest, EveryKindIsStoredWithItsScope) {
  EXPECT_EQ(Outcome(cluster_.NodeClaims().Create(Named<api::NodeClaim>("x", "claim"))), "ok");
  EXPECT_EQ(Outcome(cluster_.NodePools().Create(Named<api::NodePool>("", "default"))), "ok");
  EXPECT_EQ(Outcome(cluster_.NodeClasses().Create(Named<api::EC2NodeClass>("", "default"))), "ok");
  EXPECT_EQ(Outcome(cluster_.Namespaces().Create(Named<api::Namespace>("", "team"))), "ok");
  EXPECT_EQ(Outcome(cluster_.PriorityClasses().Create(Named<api::PriorityClass>("", "high"))),
            "ok");
  EXPECT_EQ(Outcome(cluster_.ReplicaSets().Create(Named<api::ReplicaSet>("", "rs"))),
            "Invalid: ReplicaSet: metadata.namespace: Required value");
  EXPECT_EQ(Outcome(cluster_.StatefulSets().Create(Named<api::StatefulSet>("a", "db"))), "ok");
  EXPECT_EQ(Outcome(cluster_.DaemonSets().Create(Named<api::DaemonSet>("a", "agent"))), "ok");
  EXPECT_EQ(
      Outcome(cluster_.PodDisruptionBudgets().Create(Named<api::PodDisruptionBudget>("a", "b"))),
      "ok");
  EXPECT_EQ(Outcome(cluster_.NodeClaims().Get({"", "claim"})), "ok");

  // A PriorityClass's value is its spec; a Namespace has none.
  auto priority = *cluster_.PriorityClasses().Get({"", "high"});
  api::PriorityClass raised = *priority;
  raised.value = 1000;
  EXPECT_EQ((*cluster_.PriorityClasses().Update(raised))->metadata.generation, 2);
  auto ns = *cluster_.Namespaces().Get({"", "team"});
  api::Namespace labelled = *ns;
  labelled.metadata.labels["env"] = "prod";
  EXPECT_EQ((*cluster_.Namespaces().Update(labelled))->metadata.generation, 1);
}

}  // namespace
}  // namespace karpenter::kube
