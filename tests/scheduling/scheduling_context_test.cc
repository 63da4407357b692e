#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scheduling/scheduler.h"
#include "scheduling_test_util.h"

namespace karpenter::scheduling {
namespace {

using test_util::MakePod;
using test_util::MakePool;
using test_util::Scenario;

constexpr char kWeb[] = "    app: web\n";
constexpr char kApi[] = "    app: api\n";

std::string AntiAffinity(const std::string& app) {
  return "  affinity:\n"
         "    podAntiAffinity:\n"
         "      requiredDuringSchedulingIgnoredDuringExecution:\n"
         "      - topologyKey: kubernetes.io/hostname\n"
         "        labelSelector:\n"
         "          matchLabels:\n"
         "            app: " +
         app + "\n";
}

std::string ZoneSpread(const std::string& app) {
  return "  topologySpreadConstraints:\n"
         "  - maxSkew: 1\n"
         "    topologyKey: topology.kubernetes.io/zone\n"
         "    whenUnsatisfiable: DoNotSchedule\n"
         "    labelSelector:\n"
         "      matchLabels:\n"
         "        app: " +
         app + "\n";
}

// Everything a result says, in words, to compare two results exactly.
std::string Describe(const SchedulingResult& result) {
  std::string out;
  for (const NewNodeClaim& claim : result.new_node_claims) {
    out += "claim " + claim.node_pool + " [" + claim.requirements.ToString() + "] types";
    for (const catalog::InstanceType* type : claim.instance_type_options) out += " " + type->name();
    out += " pods";
    for (const api::Pod* pod : claim.pods) out += " " + pod->metadata.name;
    out += " requests " + claim.requests.ToString() + "\n";
  }
  for (const ExistingNodePlacement& placement : result.existing_node_placements) {
    out += "node " + placement.node_name + ":";
    for (const api::Pod* pod : placement.pods) out += " " + pod->metadata.name;
    out += "\n";
  }
  for (const UnschedulablePod& pod : result.unschedulable) {
    out += "unschedulable " + pod.pod->metadata.name + ": " + pod.reason + "\n";
  }
  return out;
}

// Six 4-CPU nodes over three zones, each running an anti-affine "web" pod (nodes 0-2) or a
// zone-spread "api" pod (nodes 3-5), plus one plain pod.
class SchedulingContextTest : public ::testing::Test {
 protected:
  SchedulingContextTest() {
    s_.AddPool(MakePool("default"));
    const std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"};
    for (int n = 0; n < 6; ++n) {
      ExistingNode node;
      node.name = "node-" + std::to_string(n);
      node.node_pool = "default";
      node.labels = {{"kubernetes.io/hostname", node.name},
                     {"topology.kubernetes.io/zone", zones[n % 3]},
                     {"node.kubernetes.io/instance-type", "medium"},
                     {"karpenter.sh/nodepool", "default"}};
      node.allocatable = {{"cpu", core::Quantity::FromInt(4)},
                          {"memory", core::Quantity::FromInt(int64_t{8} << 30)},
                          {"pods", core::Quantity::FromInt(20)}};
      node.capacity = node.allocatable;
      const bool web = n < 3;
      node.pods.push_back(
          s_.Bound(MakePod(node.name + (web ? "-web" : "-api"), "1", "1Gi",
                           web ? AntiAffinity("web") : ZoneSpread("api"), web ? kWeb : kApi)));
      node.pods.push_back(s_.Bound(MakePod(node.name + "-plain", "2", "1Gi")));
      s_.input.existing_nodes.push_back(node);
    }
    s_.input.pending.clear();
  }

  // The pods bound to the nodes `names`.
  std::vector<const api::Pod*> PodsOf(const std::set<std::string>& names) const {
    std::vector<const api::Pod*> pods;
    for (const ExistingNode& node : s_.input.existing_nodes) {
      if (names.contains(node.name)) pods.insert(pods.end(), node.pods.begin(), node.pods.end());
    }
    return pods;
  }

  // Schedule() of the input without the nodes `names`, their pods pending.
  std::string Fresh(const std::set<std::string>& names,
                    const std::vector<const api::Pod*>& extra = {}) const {
    SchedulingInput input = s_.input;
    input.pending = PodsOf(names);
    input.pending.insert(input.pending.end(), extra.begin(), extra.end());
    std::erase_if(input.existing_nodes,
                  [&](const ExistingNode& node) { return names.contains(node.name); });
    return Describe(Schedule(input));
  }

  std::string InContext(const SchedulingContext& context, const std::set<std::string>& names,
                        const std::vector<const api::Pod*>& extra = {}) const {
    std::vector<const api::Pod*> pending = PodsOf(names);
    pending.insert(pending.end(), extra.begin(), extra.end());
    std::vector<std::string_view> removed(names.begin(), names.end());
    return Describe(context.Schedule(pending, removed));
  }

  Scenario s_;
};

TEST_F(SchedulingContextTest, RunsMatchScheduleWithoutTheRemovedNodes) {
  const SchedulingContext context(s_.input);
  const std::vector<std::set<std::string>> removals = {
      {},
      {"node-0"},
      {"node-3"},
      {"node-0", "node-1"},
      {"node-2", "node-4", "node-5"},
      {"node-0", "node-1", "node-2", "node-3", "node-4", "node-5"}};
  for (const std::set<std::string>& names : removals) {
    EXPECT_EQ(InContext(context, names), Fresh(names)) << names.size() << " removed";
  }
}

TEST_F(SchedulingContextTest, RemovedNodesNoLongerCountForTopology) {
  const SchedulingContext context(s_.input);
  const std::string claim =
      "claim default [karpenter.sh/capacity-type In [on-demand spot], karpenter.sh/nodepool In "
      "[default]] types small medium large pods ";
  // No node has 2 CPUs free: each plain pod needs a new node. node-0's web pod may not join
  // node-1 or node-2, which run web pods: the first node with room after them is node-3.
  EXPECT_EQ(InContext(context, {"node-0"}),
            claim +
                "node-0-plain requests {cpu: 2, memory: 1Gi, pods: 1}\n"
                "node node-3: node-0-web\n");
  // Without node-4, zone-b has no api pod left: node-4's api pod must go there (node-1), not
  // to the first node with room (node-0, zone-a).
  EXPECT_EQ(InContext(context, {"node-4"}),
            claim +
                "node-4-plain requests {cpu: 2, memory: 1Gi, pods: 1}\n"
                "node node-1: node-4-api\n");
}

TEST_F(SchedulingContextTest, RepeatedRunsGiveTheSameResult) {
  const SchedulingContext context(s_.input);
  const std::string first = InContext(context, {"node-4"});
  EXPECT_EQ(InContext(context, {"node-0", "node-2"}), Fresh({"node-0", "node-2"}));
  EXPECT_EQ(InContext(context, {"node-4"}), first);
  EXPECT_EQ(first, Fresh({"node-4"}));
}

TEST_F(SchedulingContextTest, PendingPodWithAResourceTheClusterLacksIsScheduledAlone) {
  const SchedulingContext context(s_.input);
  const api::Pod& widget =
      s_.AddPod(MakePod("widget", "1", "1Gi", "        example.com/widget: \"1\"\n"));
  const std::string result = InContext(context, {"node-1"}, {&widget});
  EXPECT_EQ(result, Fresh({"node-1"}, {&widget}));
  EXPECT_NE(result.find("unschedulable widget: "), std::string::npos) << result;
}

TEST_F(SchedulingContextTest, UnknownNamesAreIgnored) {
  const SchedulingContext context(s_.input);
  EXPECT_EQ(InContext(context, {"node-9"}), Fresh({}));
}

}  // namespace
}  // namespace karpenter::scheduling
