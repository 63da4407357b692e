// Issue 5's acceptance list, where the unit tests of each method do not already pin it: the
// order of methods within one pass, expiry beside a graceful command, and the seed 000
// NodePool's nightly window at the level of a whole pass.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "catalog/labels.h"
#include "disruption/pass.h"
#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::At;
using testing::MakeNodePool;
using testing::Seconds;

// An instance type with `cpu` CPUs (4 GiB each, 20 pods), offered on demand and as spot in
// zone-a.
catalog::InstanceType Type(const std::string& name, int cpu, double on_demand, double spot) {
  core::ResourceList capacity = {{"cpu", core::Quantity::FromInt(cpu)},
                                 {"memory", core::Quantity::FromInt(int64_t{cpu * 4} << 30)},
                                 {"pods", core::Quantity::FromInt(20)}};
  std::vector<catalog::Offering> offerings = {
      {"zone-a", catalog::CapacityType::kOnDemand, on_demand, catalog::PriceSource::kCustom, true},
      {"zone-a", catalog::CapacityType::kSpot, spot, catalog::PriceSource::kCustom, true}};
  core::Requirements requirements;
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelInstanceType), {name}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelArch), {"amd64"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelOs), {"linux"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelZone), {"zone-a"}));
  requirements.Add(
      core::Requirement::In(std::string(catalog::kLabelCapacityType), {"spot", "on-demand"}));
  return catalog::InstanceType::WithRequirements(name, capacity, {}, requirements, offerings);
}

class PassTest : public ::testing::Test {
 protected:
  PassTest() {
    snapshot_.now = At("2024-05-28T12:00:00Z");
    snapshot_.node_pools = {MakeNodePool("p",
                                         "    consolidateAfter: 0s\n    budgets:\n"
                                         "      - nodes: \"100%\"\n")};
    snapshot_.catalog = std::make_shared<const catalog::Catalog>(
        catalog::Catalog::Create({Type("small", 2, 0.10, 0.04), Type("medium", 4, 0.20, 0.08),
                                  Type("large", 8, 0.40, 0.16)})
            .value());
  }

  // A node of `type` in zone-a, on demand, launched at 11:00, running `pods` pods of 1 CPU.
  SnapshotNode& AddNode(const std::string& name, const std::string& type, int pods) {
    SnapshotNode node = testing::ManagedNode(name, "p", Seconds("2024-05-28T11:00:00Z"));
    core::Labels& labels = testing::Edit(node.node).metadata.labels;
    labels["node.kubernetes.io/instance-type"] = type;
    labels["topology.kubernetes.io/zone"] = "zone-a";
    labels["karpenter.sh/capacity-type"] = "on-demand";
    testing::Edit(node.node_claim).metadata.labels = labels;
    for (int i = 0; i < pods; ++i) {
      api::Pod pod = testing::RunningPod("default", name + "-" + std::to_string(i), name);
      api::Container container;
      container.name = "main";
      container.resources.requests.Set("cpu", core::Quantity::FromInt(1));
      pod.spec.containers.push_back(container);
      node.pods.push_back(testing::Share(std::move(pod)));
    }
    snapshot_.nodes.push_back(std::move(node));
    return snapshot_.nodes.back();
  }

  void Remove(const std::string& name) {
    std::erase_if(snapshot_.nodes, [&](const SnapshotNode& node) { return node.Name() == name; });
  }

  Snapshot snapshot_;
};

TEST_F(PassTest, MethodsRunInOrderEmptinessDriftMultiNodeThenSingleNode) {
  AddNode("empty", "large", 0);
  // The catalog no longer has "gone": drifted. Its pod fits beside the others' pods.
  testing::Edit(AddNode("drifted", "gone", 1).node).status.allocatable = {
      {"cpu", core::Quantity::FromInt(8)}, {"pods", core::Quantity::FromInt(20)}};
  AddNode("u1", "large", 1);
  AddNode("u2", "large", 1);

  PassResult pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0], (Command{Method::kEmptiness, "Empty", {"empty"}, {}, 0.4}));
  // No method after emptiness ran, so nothing was ruled out.
  EXPECT_TRUE(pass.blocked.empty());

  Remove("empty");
  pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0], (Command{Method::kDrift, "Drifted", {"drifted"}, {}, std::nullopt}));

  // Both large nodes go at once: their two pods need one small spot node.
  Remove("drifted");
  pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0],
            (Command{Method::kMultiNodeConsolidation,
                     "Underutilized",
                     {"u1", "u2"},
                     {Replacement{"p", "small", {"small", "medium", "large"}, "spot", 0.04}},
                     0.80 - 0.04}));
  EXPECT_TRUE(pass.blocked.empty());

  // A budget of one node leaves multi-node consolidation nothing to combine: single-node
  // consolidation moves u1's pod onto u2.
  snapshot_.node_pools = {MakeNodePool("p",
                                       "    consolidateAfter: 0s\n    budgets:\n"
                                       "      - nodes: \"1\"\n")};
  pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0],
            (Command{Method::kSingleNodeConsolidation, "Underutilized", {"u1"}, {}, 0.40}));
  ASSERT_EQ(pass.blocked.size(), 1u);
  EXPECT_EQ(pass.blocked[0],
            (BlockedNode{"u2",
                         "budget for reason Underutilized in NodePool \"p\" is exhausted (1 of 2 "
                         "nodes may be disrupted at once)"}));
}

TEST_F(PassTest, ExpiryComesFirstAndLeavesTheOthersToTheGracefulMethods) {
  snapshot_.node_pools = {MakeNodePool("p",
                                       "    consolidateAfter: 0s\n    budgets:\n"
                                       "      - nodes: \"0\"\n        reasons: [Underutilized]\n")};
  // Expired 1h ago, and empty: expiry takes it, not emptiness.
  SnapshotNode& old = AddNode("old", "large", 0);
  testing::Edit(old.node_claim).metadata.creation_timestamp = Seconds("2024-05-27T11:00:00Z");
  testing::Edit(old.node_claim).spec.expire_after = core::NillableDuration(std::chrono::hours(24));
  AddNode("empty", "large", 0);
  // Do-not-disrupt holds graceful methods back, not expiry.
  SnapshotNode& pinned = AddNode("pinned", "large", 1);
  testing::Edit(pinned.node).metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  testing::Edit(pinned.node_claim).metadata.creation_timestamp = Seconds("2024-05-27T10:00:00Z");
  testing::Edit(pinned.node_claim).spec.expire_after =
      core::NillableDuration(std::chrono::hours(24));
  AddNode("busy", "large", 1);

  PassResult pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 2u);
  EXPECT_EQ(pass.commands[0],
            (Command{Method::kExpiration, "Expired", {"pinned", "old"}, {}, 0.8}));
  EXPECT_EQ(pass.commands[1], (Command{Method::kEmptiness, "Empty", {"empty"}, {}, 0.4}));
  EXPECT_TRUE(pass.blocked.empty());

  // Without the empty node, "busy" is the only candidate and the Underutilized budget is 0.
  Remove("empty");
  pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0].method, Method::kExpiration);
  ASSERT_EQ(pass.blocked.size(), 1u);
  EXPECT_EQ(pass.blocked[0],
            (BlockedNode{"busy",
                         "budget for reason Underutilized in NodePool \"p\" is exhausted (0 of 3 "
                         "nodes may be disrupted at once)"}));
}

TEST_F(PassTest, DoNotDisruptOnPodAndNodeMovesEmptinessToAnotherNode) {
  testing::Edit(AddNode("a", "large", 0).node).metadata.annotations["karpenter.sh/do-not-disrupt"] =
      "true";
  api::Pod agent = testing::PodYaml(R"(apiVersion: v1
kind: Pod
metadata:
  name: agent-x
  namespace: monitoring
  annotations: {karpenter.sh/do-not-disrupt: "true"}
  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: u1, controller: true}]
spec:
  nodeName: b
  containers: [{name: agent}]
status: {phase: Running}
)");
  // A DaemonSet pod needs no new home, so "b" is empty, but its annotation still protects it.
  AddNode("b", "large", 0).pods.push_back(testing::Share(agent));
  AddNode("c", "large", 0);
  PassResult pass = RunDisruptionPass(snapshot_);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0], (Command{Method::kEmptiness, "Empty", {"c"}, {}, 0.4}));
  EXPECT_EQ(pass.blocked, (std::vector<BlockedNode>{
                              {"a", "node has karpenter.sh/do-not-disrupt: \"true\""},
                              {"b", "pod monitoring/agent-x has karpenter.sh/do-not-disrupt"}}));
}

// The NodePool of seed 000 (examples/general-purpose.yaml): 10% of the nodes at a time, none
// from 23:00 UTC for 20 hours.
api::NodePool SeedNodePool() {
  std::ifstream file(std::string(KARPENTER_SOURCE_DIR) + "/examples/general-purpose.yaml");
  std::stringstream text;
  text << file.rdbuf();
  api::ReadResult read = api::ReadYamlDocuments(text.str(), "general-purpose.yaml");
  for (const api::Document& document : read.documents) {
    if (document.value.value("kind", "") != "NodePool") continue;
    api::FieldErrors errors;
    api::NodePool pool = api::codec::DecodeNodePool(document.value, errors);
    EXPECT_TRUE(errors.empty());
    return pool;
  }
  ADD_FAILURE() << "no NodePool in examples/general-purpose.yaml";
  return {};
}

TEST(SeedNightlyWindow, BlocksAtTenAndAllowsAtHalfPastSeven) {
  Snapshot snapshot;
  snapshot.node_pools = {SeedNodePool()};
  ASSERT_EQ(snapshot.node_pools[0].metadata.name, "general-purpose");
  for (const char* name : {"n-0", "n-1"}) {
    snapshot.nodes.push_back(
        testing::ManagedNode(name, "general-purpose", Seconds("2024-05-27T20:00:00Z")));
  }
  // 10:00 the morning after the window opened at 23:00: nothing may go until 19:00.
  snapshot.now = At("2024-05-28T10:00:00Z");
  PassResult pass = RunDisruptionPass(snapshot);
  EXPECT_TRUE(pass.commands.empty());
  const std::string closed =
      "budget for reason Empty in NodePool \"general-purpose\" is exhausted (0 of 2 nodes may be "
      "disrupted at once; budgets[1] (nodes \"0\", schedule \"0 23 * * *\", duration 20h0m0s) "
      "applies until 2024-05-28T19:00:00Z)";
  EXPECT_EQ(pass.blocked, (std::vector<BlockedNode>{{"n-0", closed}, {"n-1", closed}}));

  // 19:30: the 10% budget applies again, one node of two (rounded up).
  snapshot.now = At("2024-05-28T19:30:00Z");
  pass = RunDisruptionPass(snapshot);
  ASSERT_EQ(pass.commands.size(), 1u);
  EXPECT_EQ(pass.commands[0], (Command{Method::kEmptiness, "Empty", {"n-0"}, {}, std::nullopt}));
  EXPECT_EQ(pass.blocked,
            (std::vector<BlockedNode>{
                {"n-1",
                 "budget for reason Empty in NodePool \"general-purpose\" is exhausted (1 of 2 "
                 "nodes may be disrupted at once)"}}));
}

}  // namespace
}  // namespace karpenter::disruption
