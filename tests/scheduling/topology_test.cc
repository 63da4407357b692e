#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "scheduling/scheduler.h"
#include "scheduling_test_util.h"

namespace karpenter::scheduling {
namespace {

using test_util::MakePod;
using test_util::MakePool;
using test_util::Names;
using test_util::Scenario;
using ::testing::ElementsAre;

const std::string kAppLabel = "    app: web\n";

std::string Spread(const std::string& key, int max_skew, const std::string& when = "DoNotSchedule") {
  return "  topologySpreadConstraints:\n  - maxSkew: " + std::to_string(max_skew) +
         "\n    topologyKey: " + key + "\n    whenUnsatisfiable: " + when +
         "\n    labelSelector: {matchLabels: {app: web}}\n";
}

std::string AntiAffinity(const std::string& key, bool required = true) {
  if (required) {
    return "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
           "      - topologyKey: " + key + "\n        labelSelector: {matchLabels: {app: web}}\n";
  }
  return "  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n"
         "      - weight: 10\n        podAffinityTerm:\n          topologyKey: " + key +
         "\n          labelSelector: {matchLabels: {app: web}}\n";
}

std::map<std::string, int> ZoneCounts(const SchedulingResult& result) {
  std::map<std::string, int> counts;
  for (const NewNodeClaim& claim : result.new_node_claims) {
    core::Requirement zone = claim.requirements.Get("topology.kubernetes.io/zone");
    counts[zone.complement() ? "?" : zone.Values()[0] + (zone.Len() > 1 ? "+" : "")] +=
        static_cast<int>(claim.pods.size());
  }
  return counts;
}

TEST(ScheduleTopology, ZonalSpreadBalancesAcrossZones) {
  Scenario s;
  s.AddPool(MakePool("default"));
  for (int i = 0; i < 6; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     Spread("topology.kubernetes.io/zone", 1), kAppLabel));
  }
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.unschedulable.empty());
  EXPECT_EQ(ZoneCounts(result),
            (std::map<std::string, int>{{"zone-a", 2}, {"zone-b", 2}, {"zone-c", 2}}));
  EXPECT_EQ(result.new_node_claims.size(), 3u);
}

TEST(ScheduleTopology, SpreadCountsExistingPods) {
  Scenario s;
  s.AddPool(MakePool("default"));
  ExistingNode node;
  node.name = "node-a";
  node.labels = {{"kubernetes.io/hostname", "node-a"}, {"topology.kubernetes.io/zone", "zone-a"}};
  node.pods.push_back(s.Bound(MakePod("old", "1", "1Gi", "", kAppLabel)));
  s.input.existing_nodes.push_back(node);
  for (int i = 0; i < 2; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     Spread("topology.kubernetes.io/zone", 1), kAppLabel));
  }
  SchedulingResult result = s.Run();
  EXPECT_EQ(ZoneCounts(result), (std::map<std::string, int>{{"zone-b", 1}, {"zone-c", 1}}));
}

TEST(ScheduleTopology, SpreadRestrictedToNodePoolZones) {
  Scenario s;
  s.AddPool(MakePool("default",
                     "      requirements:\n"
                     "      - {key: topology.kubernetes.io/zone, operator: In, values: [zone-a, zone-b]}\n"));
  for (int i = 0; i < 4; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     Spread("topology.kubernetes.io/zone", 1), kAppLabel));
  }
  SchedulingResult result = s.Run();
  EXPECT_EQ(ZoneCounts(result), (std::map<std::string, int>{{"zone-a", 2}, {"zone-b", 2}}));
}

TEST(ScheduleTopology, SpreadUnsatisfiableIsExplained) {
  Scenario s;
  s.AddPool(MakePool("default"));
  // Both pods may only use zone-a; with minDomains 3 the global minimum counts as 0, so the
  // second pod would make the skew 2.
  for (int i = 0; i < 2; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     Spread("topology.kubernetes.io/zone", 1) + "    minDomains: 3\n" +
                         "  nodeSelector: {topology.kubernetes.io/zone: zone-a}\n",
                     kAppLabel));
  }
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason,
            "nodepool \"default\": topology spread maxSkew=1 on topology.kubernetes.io/zone would "
            "be exceeded (counts zone-a=1)");
}

TEST(ScheduleTopology, SpreadMinimumOnlyOverPodsOwnDomains) {
  Scenario s;
  s.AddPool(MakePool("default"));
  for (int i = 0; i < 2; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     Spread("topology.kubernetes.io/zone", 1) +
                         "  nodeSelector: {topology.kubernetes.io/zone: zone-a}\n",
                     kAppLabel));
  }
  EXPECT_TRUE(s.Run().unschedulable.empty());
}

TEST(ScheduleTopology, ScheduleAnywaySpreadIsRelaxed) {
  Scenario s;
  // Room for one node only: the second pod can share it once its hostname spread is relaxed.
  s.AddPool(MakePool("default", "", "  limits:\n    cpu: \"8\"\n"));
  for (int i = 0; i < 2; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     Spread("kubernetes.io/hostname", 1, "ScheduleAnyway"), kAppLabel));
  }
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.unschedulable.empty());
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(Names(result.new_node_claims[0].pods), ElementsAre("web-0", "web-1"));
}

TEST(ScheduleTopology, DoNotScheduleHostnameSpreadNeedsNewNode) {
  Scenario s;
  s.AddPool(MakePool("default", "", "  limits:\n    cpu: \"8\"\n"));
  for (int i = 0; i < 2; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     Spread("kubernetes.io/hostname", 1), kAppLabel));
  }
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason, "nodepool \"default\": limit cpu=8 reached");
}

TEST(ScheduleTopology, HostnameAntiAffinityOnePodPerNode) {
  Scenario s;
  s.AddPool(MakePool("default"));
  for (int i = 0; i < 3; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     AntiAffinity("kubernetes.io/hostname"), kAppLabel));
  }
  s.AddPod(MakePod("other", "500m"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 3u);
  for (const NewNodeClaim& claim : result.new_node_claims) {
    int web = 0;
    for (const api::Pod* pod : claim.pods) web += pod->metadata.labels.contains("app");
    EXPECT_EQ(web, 1);
  }
}

TEST(ScheduleTopology, RunningPodsAntiAffinityKeepsMatchingPodsAway) {
  Scenario s;
  ExistingNode node;
  node.name = "node-a";
  node.labels = {{"kubernetes.io/hostname", "node-a"}, {"topology.kubernetes.io/zone", "zone-a"}};
  node.allocatable = {{"cpu", core::Quantity::FromInt(8)},
                      {"memory", core::Quantity::FromInt(int64_t{16} << 30)},
                      {"pods", core::Quantity::FromInt(10)}};
  // A running pod (not labelled app=web) that refuses app=web pods in its zone.
  node.pods.push_back(s.Bound(MakePod("guard", "1", "1Gi",
                                      AntiAffinity("topology.kubernetes.io/zone"),
                                      "    role: guard\n")));
  s.input.existing_nodes.push_back(node);
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("web-0", "1", "1Gi", "", kAppLabel));
  s.AddPod(MakePod("plain", "1", "1Gi"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.existing_node_placements.size(), 1u);
  EXPECT_THAT(Names(result.existing_node_placements[0].pods), ElementsAre("plain"));
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_EQ(result.new_node_claims[0].requirements.Get("topology.kubernetes.io/zone").ToString(),
            "topology.kubernetes.io/zone In [zone-b zone-c]");
}

TEST(ScheduleTopology, PodAffinityFollowsExistingPodsZone) {
  Scenario s;
  ExistingNode node;
  node.name = "node-b";
  node.labels = {{"kubernetes.io/hostname", "node-b"}, {"topology.kubernetes.io/zone", "zone-b"}};
  node.pods.push_back(s.Bound(MakePod("db", "1", "1Gi", "", "    app: db\n")));
  s.input.existing_nodes.push_back(node);
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("client", "1", "1Gi",
                   "  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                   "      - topologyKey: topology.kubernetes.io/zone\n"
                   "        labelSelector: {matchLabels: {app: db}}\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_EQ(ChooseLaunch(result.new_node_claims[0]).offering->zone, "zone-b");
}

TEST(ScheduleTopology, SelfAffinityKeepsGroupInOneZone) {
  Scenario s;
  s.AddPool(MakePool("default"));
  const std::string affinity =
      "  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "      - topologyKey: topology.kubernetes.io/zone\n"
      "        labelSelector: {matchLabels: {app: web}}\n"
      "  nodeSelector: {kubernetes.io/arch: amd64}\n";
  for (int i = 0; i < 3; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "5", "1Gi", affinity, kAppLabel));
  }
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.unschedulable.empty());
  EXPECT_EQ(ZoneCounts(result), (std::map<std::string, int>{{"zone-a", 3}}));
}

TEST(ScheduleTopology, PreferredAntiAffinityRelaxedWhenImpossible) {
  Scenario s;
  s.AddPool(MakePool("default",
                     "      requirements:\n"
                     "      - {key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}\n"));
  for (int i = 0; i < 2; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi",
                     AntiAffinity("topology.kubernetes.io/zone", false), kAppLabel));
  }
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.unschedulable.empty());
}

}  // namespace
}  // namespace karpenter::scheduling
