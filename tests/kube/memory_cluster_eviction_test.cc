// The Eviction and Binding subresources of the in-memory cluster.
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
using testing::OwnerRef;
using testing::ReadyPod;
using testing::UnreadyPod;

const api::Labels kWeb = {{"app", "web"}};

api::PodDisruptionBudget Budget(std::string name, std::optional<api::IntOrPercent> min_available,
                                std::optional<api::IntOrPercent> max_unavailable = std::nullopt) {
  api::PodDisruptionBudget budget = Named<api::PodDisruptionBudget>("default", std::move(name));
  budget.selector = core::LabelSelector{};
  budget.selector->match_labels = kWeb;
  budget.min_available = min_available;
  budget.max_unavailable = max_unavailable;
  return budget;
}

std::string Status(const api::PodDisruptionBudgetStatus& status) {
  return "expected=" + std::to_string(status.expected_pods) +
         " healthy=" + std::to_string(status.current_healthy) +
         " desired=" + std::to_string(status.desired_healthy) +
         " allowed=" + std::to_string(status.disruptions_allowed);
}

class EvictionTest : public ::testing::Test {
 protected:
  void AddBudget(const api::PodDisruptionBudget& budget) {
    ASSERT_TRUE(cluster_.PodDisruptionBudgets().Create(budget).has_value());
  }
  void AddPods(const std::vector<std::string>& names, std::vector<std::string> finalizers = {},
               std::vector<api::OwnerReference> owners = {}) {
    for (const std::string& name : names) {
      api::Pod pod = ReadyPod("default", name, kWeb);
      pod.metadata.finalizers = finalizers;
      pod.metadata.owner_references = owners;
      ASSERT_TRUE(cluster_.Pods().Create(pod).has_value());
    }
  }
  std::string Evict(const std::string& name) { return Outcome(cluster_.Evict({"default", name})); }
  std::string BudgetStatus(const std::string& name) {
    return Status(cluster_.BudgetStatus(**cluster_.PodDisruptionBudgets().Get({"default", name})));
  }
  bool Exists(const std::string& name) {
    return cluster_.Pods().Get({"default", name}).has_value();
  }

  core::ManualClock clock_{testing::StartTime()};
  MemoryCluster cluster_{clock_};
};

TEST_F(EvictionTest, WithoutABudgetThePodIsMarkedAndDeleted) {
  AddPods({"a"});
  std::vector<WatchEvent<api::Pod>> events;
  cluster_.Pods().Watch([&](const WatchEvent<api::Pod>& event) { events.push_back(event); });
  EXPECT_EQ(Evict("a"), "ok");
  EXPECT_FALSE(Exists("a"));
  cluster_.Deliver();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, EventType::kModified);
  EXPECT_EQ(events[1].type, EventType::kDeleted);
  const auto& conditions = events[0].object->status.conditions;
  ASSERT_EQ(conditions.size(), 2u);
  EXPECT_EQ(conditions[1], (api::PodCondition{"DisruptionTarget", "True", "EvictionByEvictionAPI",
                                              "Eviction API: evicting", kStartSeconds}));
  EXPECT_EQ(Evict("a"), "NotFound: Pod \"default/a\" not found");
}

TEST_F(EvictionTest, ABudgetAllowingOneGivesOkThenTooManyRequests) {
  AddBudget(Budget("web", api::IntOrPercent::Count(2)));
  AddPods({"a", "b", "c"});
  EXPECT_EQ(BudgetStatus("web"), "expected=3 healthy=3 desired=2 allowed=1");
  EXPECT_EQ(Evict("a"), "ok");
  EXPECT_FALSE(Exists("a"));
  EXPECT_EQ(BudgetStatus("web"), "expected=2 healthy=2 desired=2 allowed=0");
  EXPECT_EQ(Evict("b"),
            "TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget "
            "default/web (needs 2 healthy, has 2)");
  EXPECT_TRUE(Exists("b"));
}

TEST_F(EvictionTest, ATerminatingPodIsEvictedAgainWithoutCounting) {
  AddBudget(Budget("web", api::IntOrPercent::Count(2)));
  AddPods({"a", "b", "c"}, {"example.com/drain"});
  EXPECT_EQ(Evict("a"), "ok");
  ASSERT_TRUE(Exists("a"));
  EXPECT_TRUE((*cluster_.Pods().Get({"default", "a"}))->metadata.deletion_timestamp.has_value());
  const int64_t revision = cluster_.LastResourceVersion();
  EXPECT_EQ(Evict("a"), "ok");
  EXPECT_EQ(cluster_.LastResourceVersion(), revision);
  EXPECT_EQ(Evict("b").substr(0, 16), "TooManyRequests:");
}

TEST_F(EvictionTest, MaxUnavailableCountsTheDeploymentsReplicas) {
  api::Deployment deployment = Named<api::Deployment>("default", "web");
  deployment.replicas = 3;
  auto stored_deployment = *cluster_.Deployments().Create(deployment);
  api::ReplicaSet replica_set = Named<api::ReplicaSet>("default", "web-1");
  replica_set.replicas = 5;  // the Deployment's scale wins
  replica_set.metadata.owner_references = {OwnerRef("Deployment", stored_deployment->metadata)};
  auto stored_replica_set = *cluster_.ReplicaSets().Create(replica_set);
  AddBudget(Budget("web", std::nullopt, api::IntOrPercent::Count(1)));
  AddPods({"a", "b", "c"}, {}, {OwnerRef("ReplicaSet", stored_replica_set->metadata)});

  EXPECT_EQ(BudgetStatus("web"), "expected=3 healthy=3 desired=2 allowed=1");
  EXPECT_EQ(Evict("a"), "ok");
  // The evicted pod is gone, but the controller still expects three.
  EXPECT_EQ(BudgetStatus("web"), "expected=3 healthy=2 desired=2 allowed=0");
  EXPECT_EQ(Evict("b"),
            "TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget "
            "default/web (needs 2 healthy, has 2)");
}

TEST_F(EvictionTest, PercentagesOfTheExpectedPodsRoundUp) {
  api::ReplicaSet replica_set = Named<api::ReplicaSet>("default", "web-1");
  replica_set.replicas = 4;
  auto stored = *cluster_.ReplicaSets().Create(replica_set);
  AddPods({"a", "b", "c", "d"}, {}, {OwnerRef("ReplicaSet", stored->metadata)});
  auto status = [&](const api::PodDisruptionBudget& budget) {
    return Status(cluster_.BudgetStatus(budget));
  };
  using api::IntOrPercent;
  EXPECT_EQ(status(Budget("x", IntOrPercent::Percent(50))),
            "expected=4 healthy=4 desired=2 allowed=2");
  EXPECT_EQ(status(Budget("x", IntOrPercent::Percent(30))),
            "expected=4 healthy=4 desired=2 allowed=2");  // ceil(1.2)
  EXPECT_EQ(status(Budget("x", std::nullopt, IntOrPercent::Percent(30))),
            "expected=4 healthy=4 desired=2 allowed=2");  // 4 - ceil(1.2)
  EXPECT_EQ(status(Budget("x", std::nullopt, IntOrPercent::Percent(10))),
            "expected=4 healthy=4 desired=3 allowed=1");  // 4 - ceil(0.4)
  EXPECT_EQ(status(Budget("x", IntOrPercent::Percent(100))),
            "expected=4 healthy=4 desired=4 allowed=0");

  AddBudget(Budget("web", IntOrPercent::Percent(50)));
  EXPECT_EQ(Evict("a"), "ok");
  EXPECT_EQ(Evict("b"), "ok");
  EXPECT_EQ(Evict("c"),
            "TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget "
            "default/web (needs 2 healthy, has 2)");
}

TEST_F(EvictionTest, StatefulSetsGiveTheirReplicas) {
  api::StatefulSet stateful_set = Named<api::StatefulSet>("default", "db");
  stateful_set.replicas = 5;
  auto stored = *cluster_.StatefulSets().Create(stateful_set);
  AddPods({"db-0", "db-1"}, {}, {OwnerRef("StatefulSet", stored->metadata)});
  EXPECT_EQ(Status(cluster_.BudgetStatus(Budget("x", std::nullopt, api::IntOrPercent::Count(1)))),
            "expected=5 healthy=2 desired=4 allowed=0");
}

TEST_F(EvictionTest, PodsWithoutAStoredControllerCountAsOneEach) {
  AddBudget(Budget("web", std::nullopt, api::IntOrPercent::Count(1)));
  AddPods({"a", "b", "c"}, {"example.com/drain"});
  EXPECT_EQ(BudgetStatus("web"), "expected=3 healthy=3 desired=2 allowed=1");
  EXPECT_EQ(Evict("a"), "ok");
  // Still terminating, so still expected.
  EXPECT_EQ(BudgetStatus("web"), "expected=3 healthy=2 desired=2 allowed=0");
  EXPECT_EQ(Evict("b").substr(0, 16), "TooManyRequests:");
}

TEST_F(EvictionTest, MoreThanOneBudgetIsRefused) {
  AddBudget(Budget("web", api::IntOrPercent::Count(0)));
  AddBudget(Budget("web-too", api::IntOrPercent::Count(0)));
  AddPods({"a"});
  EXPECT_EQ(Evict("a"),
            "Invalid: This pod has more than one PodDisruptionBudget, which the eviction "
            "subresource does not support.");
  EXPECT_TRUE(Exists("a"));
}

TEST_F(EvictionTest, PodsThatAreNotRunningIgnoreBudgets) {
  AddBudget(Budget("web", api::IntOrPercent::Count(5)));
  AddBudget(Budget("web-too", api::IntOrPercent::Count(5)));
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("default", "pending", kWeb)).has_value());
  api::Pod done = MakePod("default", "done", kWeb);
  done.status.phase = "Succeeded";
  ASSERT_TRUE(cluster_.Pods().Create(done).has_value());
  EXPECT_EQ(Evict("pending"), "ok");
  EXPECT_EQ(Evict("done"), "ok");
  EXPECT_EQ(cluster_.Pods().List().size(), 0u);
}

TEST_F(EvictionTest, UnreadyPodsGoWhileTheApplicationIsNotDisrupted) {
  AddBudget(Budget("web", api::IntOrPercent::Count(2)));
  AddPods({"a", "b"});
  ASSERT_TRUE(cluster_.Pods().Create(UnreadyPod("default", "u", kWeb)).has_value());
  EXPECT_EQ(BudgetStatus("web"), "expected=3 healthy=2 desired=2 allowed=0");
  EXPECT_EQ(Evict("u"), "ok");  // healthy (2) >= desired (2) > 0
  EXPECT_EQ(Evict("a").substr(0, 16), "TooManyRequests:");
}

TEST_F(EvictionTest, UnreadyPodsOfADisruptedApplicationNeedAlwaysAllow) {
  AddBudget(Budget("web", api::IntOrPercent::Count(3)));
  AddPods({"a", "b"});
  ASSERT_TRUE(cluster_.Pods().Create(UnreadyPod("default", "u", kWeb)).has_value());
  EXPECT_EQ(Evict("u"),
            "TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget "
            "default/web (needs 3 healthy, has 2)");

  ASSERT_TRUE(cluster_.PodDisruptionBudgets()
                  .Patch({"default", "web"},
                         [](api::PodDisruptionBudget& budget) {
                           budget.unhealthy_pod_eviction_policy =
                               api::UnhealthyPodEvictionPolicy::kAlwaysAllow;
                         })
                  .has_value());
  EXPECT_EQ(Evict("u"), "ok");
  EXPECT_EQ(Evict("a").substr(0, 16), "TooManyRequests:");  // healthy pods stay guarded
}

TEST_F(EvictionTest, EvictingAnUnreadyPodCostsNoDisruption) {
  AddBudget(Budget("web", api::IntOrPercent::Count(1)));
  AddPods({"a", "b"});
  ASSERT_TRUE(cluster_.Pods().Create(UnreadyPod("default", "u", kWeb)).has_value());
  EXPECT_EQ(Evict("u"), "ok");
  EXPECT_EQ(Evict("a"), "ok");
  EXPECT_EQ(Evict("b"),
            "TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget "
            "default/web (needs 1 healthy, has 1)");
}

TEST_F(EvictionTest, SelectorsFollowPolicyV1) {
  api::PodDisruptionBudget everything = Budget("everything", api::IntOrPercent::Count(1));
  everything.selector = core::LabelSelector{};  // empty: every pod of the namespace
  api::PodDisruptionBudget nothing = Budget("nothing", api::IntOrPercent::Count(1));
  nothing.selector.reset();  // missing: no pod
  api::PodDisruptionBudget elsewhere = Budget("elsewhere", api::IntOrPercent::Count(1));
  elsewhere.metadata.namespace_ = "other";
  AddBudget(everything);
  AddBudget(nothing);
  AddBudget(elsewhere);
  ASSERT_TRUE(cluster_.Pods().Create(ReadyPod("default", "solo", {{"app", "db"}})).has_value());
  EXPECT_EQ(Evict("solo"),
            "TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget "
            "default/everything (needs 1 healthy, has 1)");
  EXPECT_EQ(BudgetStatus("nothing"), "expected=0 healthy=0 desired=1 allowed=0");
}

TEST_F(EvictionTest, ABudgetWithNeitherFieldExpectsNoPods) {
  AddBudget(Budget("web", std::nullopt));
  AddPods({"a"});
  EXPECT_EQ(BudgetStatus("web"), "expected=0 healthy=1 desired=0 allowed=0");
  EXPECT_EQ(Evict("a"),
            "TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget "
            "default/web (needs 0 healthy, has 1)");
}

TEST(BindTest, BindsAPendingPodOnce) {
  core::ManualClock clock(testing::StartTime());
  MemoryCluster cluster(clock);
  api::Pod pod = MakePod("default", "web");
  pod.status.conditions.push_back(
      api::PodCondition{"PodScheduled", "False", "Unschedulable", "no nodes", 5});
  ASSERT_TRUE(cluster.Pods().Create(pod).has_value());
  clock.Advance(std::chrono::seconds(10));

  auto bound = cluster.Bind({"default", "web"}, "node-a");
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ((*bound)->spec.node_name, "node-a");
  EXPECT_EQ((*bound)->status.conditions,
            (std::vector<api::PodCondition>{{"PodScheduled", "True", "", "", kStartSeconds + 10}}));
  EXPECT_EQ(Outcome(cluster.Bind({"default", "web"}, "node-b")),
            "Conflict: Operation cannot be fulfilled on pods/binding \"web\": pod web is already "
            "assigned to node \"node-a\"");
  EXPECT_EQ(Outcome(cluster.Bind({"default", "nope"}, "node-a")),
            "NotFound: Pod \"default/nope\" not found");

  api::Pod held = MakePod("default", "held");
  held.metadata.finalizers = {"example.com/x"};
  ASSERT_TRUE(cluster.Pods().Create(held).has_value());
  EXPECT_EQ(Outcome(cluster.Bind({"default", "held"}, "")),
            "Invalid: Pod \"default/held\": target.name: Required value");
  ASSERT_TRUE(cluster.Pods().Delete({"default", "held"}).has_value());
  EXPECT_EQ(Outcome(cluster.Bind({"default", "held"}, "node-a")),
            "Conflict: Operation cannot be fulfilled on pods/binding \"held\": pod held is being "
            "deleted, cannot be assigned to a host");
}

}  // namespace
}  // namespace karpenter::kube
