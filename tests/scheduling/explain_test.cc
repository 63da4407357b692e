// ExplainPod: the full elimination trail of one pod, and FormatTrail's text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scheduling/explain.h"
#include "scheduling/scheduler.h"
#include "scheduling/solver.h"
#include "scheduling_test_util.h"

namespace karpenter::scheduling {
namespace {

using test_util::MakeCatalog;
using test_util::MakePod;
using test_util::MakePool;
using test_util::Names;
using test_util::Scenario;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// small/medium/large amd64 (2, 4, 8 cpu) and arm-small/arm-large arm64 (2, 8 cpu).
catalog::Catalog MixedArchCatalog() {
  return MakeCatalog({{"small", 2, 4, 0.10},
                      {"medium", 4, 8, 0.20},
                      {"large", 8, 16, 0.40},
                      {"arm-small", 2, 4, 0.08, {"zone-a", "zone-b", "zone-c"}, "arm64"},
                      {"arm-large", 8, 16, 0.32, {"zone-a", "zone-b", "zone-c"}, "arm64"}});
}

ExistingNode Node(const std::string& name, int cpu, const std::string& zone = "zone-a") {
  ExistingNode node;
  node.name = name;
  node.labels = {{"kubernetes.io/hostname", name}, {"topology.kubernetes.io/zone", zone}};
  node.allocatable = {{"cpu", core::Quantity::FromInt(cpu)},
                      {"memory", core::Quantity::FromInt(int64_t{16} << 30)},
                      {"pods", core::Quantity::FromInt(10)}};
  return node;
}

const std::string kAntiAffinity =
    "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
    "      - topologyKey: kubernetes.io/hostname\n        labelSelector:\n"
    "          matchLabels: {app: web}\n";

TEST(ExplainPod, GroupsInstanceTypesByReasonAndNamesTheCheapestLeft) {
  Scenario s;
  s.catalog = MixedArchCatalog();
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("arm", "3", "1Gi", "  nodeSelector: {kubernetes.io/arch: arm64}\n"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  EXPECT_EQ(trail.pod, "default/arm");
  EXPECT_EQ(trail.outcome, TrailOutcome::kNewNodeClaim);
  EXPECT_EQ(trail.node_claim, 0);
  EXPECT_EQ(trail.node_pool, "default");
  EXPECT_EQ(trail.attempts, 1);
  EXPECT_THAT(trail.existing_nodes, IsEmpty());
  EXPECT_EQ(trail.in_flight_tried, 0u);
  ASSERT_EQ(trail.node_pools.size(), 1u);
  const NodePoolCheck& pool = trail.node_pools[0];
  EXPECT_EQ(pool.node_pool, "default");
  EXPECT_EQ(pool.catalog_types, 5u);
  EXPECT_EQ(pool.pool_types, 5u);
  EXPECT_EQ(pool.check, "");
  EXPECT_EQ(pool.topology, "");
  EXPECT_THAT(pool.eliminated,
              ElementsAre(EliminationGroup{"\"kubernetes.io/arch In [arm64]\" not met (they have "
                                           "amd64)",
                                           3,
                                           {"large", "medium", "small"}},
                          EliminationGroup{"cpu 3 > allocatable (largest among them 2)",
                                           1,
                                           {"arm-small"}}));
  EXPECT_EQ(pool.remaining, 1u);
  EXPECT_THAT(pool.cheapest, ElementsAre("arm-large"));
}

TEST(ExplainPod, FormatsTheTrailAsLines) {
  Scenario s;
  s.catalog = MixedArchCatalog();
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("arm", "3", "1Gi", "  nodeSelector: {kubernetes.io/arch: arm64}\n"));
  EXPECT_THAT(
      FormatTrail(ExplainPod(s.input, s.pods[0])),
      ElementsAre("Pod default/arm: opened nodeclaim 0 from NodePool \"default\" (1 attempt)",
                  "NodePools, by weight then name:",
                  "  default (weight 0): 5 instance types, 5 allowed by its requirements",
                  "    3 types: \"kubernetes.io/arch In [arm64]\" not met (they have amd64) "
                  "(large, medium, small)",
                  "    1 type: cpu 3 > allocatable (largest among them 2) (arm-small)",
                  "    1 type left, cheapest first: arm-large",
                  "    => a new NodeClaim would take the pod"));
}

TEST(ExplainPod, UnschedulablePodNamesEachNodePoolsCheck) {
  Scenario s;
  s.catalog = MixedArchCatalog();
  s.AddPool(MakePool("gpu",
                     "      taints:\n      - {key: nvidia.com/gpu, value: \"true\", effect: "
                     "NoSchedule}\n",
                     "  weight: 10\n"));
  s.AddPool(MakePool("arm",
                     "      requirements:\n      - {key: kubernetes.io/arch, operator: In, "
                     "values: [arm64]}\n"));
  s.AddPool(MakePool("big", "", "  limits: {cpu: \"1\"}\n"));
  s.AddPod(MakePod("p", "1", "1Gi", "  nodeSelector: {kubernetes.io/arch: amd64}\n"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  EXPECT_EQ(trail.outcome, TrailOutcome::kUnschedulable);
  EXPECT_EQ(trail.reason, s.Run().unschedulable.at(0).reason);
  ASSERT_EQ(trail.node_pools.size(), 3u);
  EXPECT_EQ(trail.node_pools[0].node_pool, "gpu");
  EXPECT_EQ(trail.node_pools[0].weight, 10);
  EXPECT_EQ(trail.node_pools[0].check, "taints");
  EXPECT_EQ(trail.node_pools[0].reason, "did not tolerate taint (taint=nvidia.com/gpu=true:NoSchedule)");
  EXPECT_EQ(trail.node_pools[1].node_pool, "arm");
  EXPECT_EQ(trail.node_pools[1].pool_types, 2u);
  EXPECT_EQ(trail.node_pools[1].check, "requirements");
  EXPECT_EQ(trail.node_pools[1].reason,
            "requirement \"kubernetes.io/arch In [amd64]\" conflicts with NodePool \"arm\"'s "
            "\"kubernetes.io/arch In [arm64]\"");
  EXPECT_EQ(trail.node_pools[2].node_pool, "big");
  EXPECT_EQ(trail.node_pools[2].check, "limits");
  EXPECT_EQ(trail.node_pools[2].reason, "limit cpu=1 reached");
  EXPECT_THAT(trail.node_pools[2].eliminated,
              ElementsAre(EliminationGroup{"cpu capacity above the 1 left of limit cpu=1",
                                           5,
                                           {"arm-large", "arm-small", "large"}}));
}

TEST(ExplainPod, ExistingNodesInTriedOrderUpToTheOneThatTakesThePod) {
  Scenario s;
  s.AddPool(MakePool("default"));
  ExistingNode tainted = Node("a-tainted", 8);
  tainted.taints.push_back({"dedicated", "db", core::TaintEffect::NoSchedule});
  ExistingNode full = Node("b-full", 2);
  full.pods.push_back(s.Bound(MakePod("running", "1500m")));
  ExistingNode elsewhere = Node("c-zone-b", 8, "zone-b");
  ExistingNode fits = Node("d-fits", 8);
  ExistingNode after = Node("e-after", 8);
  ExistingNode deleted = Node("f-deleted", 8);
  deleted.marked_for_deletion = true;
  s.input.existing_nodes = {tainted, full, elsewhere, fits, after, deleted};
  s.AddPod(MakePod("p", "1", "1Gi", "  nodeSelector: {topology.kubernetes.io/zone: zone-a}\n"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  EXPECT_EQ(trail.outcome, TrailOutcome::kExistingNode);
  EXPECT_EQ(trail.node, "d-fits");
  ASSERT_EQ(trail.existing_nodes.size(), 4u);
  EXPECT_EQ(trail.existing_nodes[0].node, "a-tainted");
  EXPECT_EQ(trail.existing_nodes[0].check, "taints");
  EXPECT_EQ(trail.existing_nodes[0].reason, "did not tolerate taint (taint=dedicated=db:NoSchedule)");
  EXPECT_EQ(trail.existing_nodes[1].node, "b-full");
  EXPECT_EQ(trail.existing_nodes[1].check, "resources");
  EXPECT_EQ(trail.existing_nodes[1].reason, "cpu 1 > 500m free");
  EXPECT_EQ(trail.existing_nodes[2].node, "c-zone-b");
  EXPECT_EQ(trail.existing_nodes[2].check, "requirements");
  EXPECT_EQ(trail.existing_nodes[2].reason,
            "requirement \"topology.kubernetes.io/zone In [zone-a]\" conflicts with node's "
            "\"topology.kubernetes.io/zone In [zone-b]\"");
  EXPECT_EQ(trail.existing_nodes[3].node, "d-fits");
  EXPECT_EQ(trail.existing_nodes[3].check, "");
  // A new NodeClaim was not needed, but what it would do is still told.
  ASSERT_EQ(trail.node_pools.size(), 1u);
  EXPECT_EQ(trail.node_pools[0].check, "");
}

TEST(ExplainPod, DeletedNodesAreListedAfterTheOthersWhenNoneTakesThePod) {
  Scenario s;
  s.AddPool(MakePool("default"));
  ExistingNode deleted = Node("deleted", 8);
  deleted.marked_for_deletion = true;
  s.input.existing_nodes = {deleted, Node("small", 1)};
  s.AddPod(MakePod("p", "2"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  EXPECT_EQ(trail.outcome, TrailOutcome::kNewNodeClaim);
  ASSERT_EQ(trail.existing_nodes.size(), 2u);
  EXPECT_EQ(trail.existing_nodes[0].node, "small");
  EXPECT_EQ(trail.existing_nodes[0].reason, "cpu 2 > 1 free");
  EXPECT_EQ(trail.existing_nodes[1].node, "deleted");
  EXPECT_EQ(trail.existing_nodes[1].check, "marked for deletion");
}

TEST(ExplainPod, InFlightNodeClaimsThatRefusedAreGroupedByReason) {
  Scenario s;
  s.AddPool(MakePool("default"));
  for (const char* name : {"web-1", "web-2", "web-3"}) {
    s.AddPod(MakePod(name, "1", "1Gi", kAntiAffinity, "    app: web\n"));
  }
  PodTrail trail = ExplainPod(s.input, s.pods[2]);
  EXPECT_EQ(trail.outcome, TrailOutcome::kNewNodeClaim);
  EXPECT_EQ(trail.node_claim, 2);
  EXPECT_EQ(trail.in_flight_tried, 2u);
  EXPECT_THAT(trail.in_flight,
              ElementsAre(EliminationGroup{"topology: pod anti-affinity on kubernetes.io/hostname: "
                                           "every allowed domain has a matching pod",
                                           2,
                                           {"nodeclaim 0 (default)", "nodeclaim 1 (default)"}}));
}

TEST(ExplainPod, PodAddedToAnInFlightNodeClaim) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("first", "2"));
  s.AddPod(MakePod("second", "1"));
  PodTrail trail = ExplainPod(s.input, s.pods[1]);
  EXPECT_EQ(trail.outcome, TrailOutcome::kInFlightNodeClaim);
  EXPECT_EQ(trail.node_claim, 0);
  EXPECT_EQ(trail.node_pool, "default");
  EXPECT_EQ(trail.in_flight_tried, 1u);
  EXPECT_THAT(trail.in_flight, IsEmpty());
}

TEST(ExplainPod, TopologyNarrowsTheZonesOfANewNode) {
  Scenario s;
  s.AddPool(MakePool("default"));
  const std::string spread =
      "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n"
      "    whenUnsatisfiable: DoNotSchedule\n    labelSelector:\n      matchLabels: {app: web}\n";
  s.AddPod(MakePod("web-1", "1", "1Gi", spread, "    app: web\n"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  ASSERT_EQ(trail.node_pools.size(), 1u);
  EXPECT_EQ(trail.node_pools[0].topology, "topology.kubernetes.io/zone In [zone-a]");
  EXPECT_EQ(trail.node_pools[0].remaining, 3u);
}

TEST(ExplainPod, RelaxationsBeforeTheLastAttemptAreListed) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("p", "1", "1Gi",
                   "  affinity:\n    nodeAffinity:\n"
                   "      preferredDuringSchedulingIgnoredDuringExecution:\n"
                   "      - weight: 1\n        preference:\n          matchExpressions:\n"
                   "          - {key: topology.kubernetes.io/zone, operator: In, values: "
                   "[zone-x]}\n"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  EXPECT_EQ(trail.outcome, TrailOutcome::kNewNodeClaim);
  EXPECT_EQ(trail.attempts, 2);
  EXPECT_THAT(trail.relaxations, ElementsAre("removed heaviest preferred nodeAffinity term"));
  EXPECT_THAT(trail.node_pools[0].eliminated, IsEmpty());
}

TEST(ExplainPod, PodNotPendingIsExplainedAsIfAddedLast) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("pending", "1"));
  api::Pod extra = MakePod("extra", "9");
  PodTrail trail = ExplainPod(s.input, extra);
  EXPECT_EQ(trail.pod, "default/extra");
  EXPECT_EQ(trail.outcome, TrailOutcome::kUnschedulable);
  EXPECT_EQ(trail.in_flight_tried, 1u);
  ASSERT_EQ(trail.node_pools.size(), 1u);
  EXPECT_EQ(trail.node_pools[0].check, "instance types");
  EXPECT_THAT(trail.node_pools[0].eliminated,
              ElementsAre(EliminationGroup{"cpu 9 > allocatable (largest among them 8)",
                                           3,
                                           {"large", "medium", "small"}}));
  EXPECT_EQ(trail.node_pools[0].remaining, 0u);
}

TEST(ExplainPod, TypesWithoutAnAvailableOfferingInTheZoneAreGrouped) {
  Scenario s;
  std::vector<catalog::InstanceType> types = {test_util::MakeType({"small", 2, 4, 0.10})};
  core::Requirements scarce;
  scarce.Add(core::Requirement::In("node.kubernetes.io/instance-type", {"scarce"}));
  scarce.Add(core::Requirement::In("topology.kubernetes.io/zone", {"zone-a", "zone-b"}));
  scarce.Add(core::Requirement::In("karpenter.sh/capacity-type", {"on-demand"}));
  types.push_back(catalog::InstanceType::WithRequirements(
      "scarce", {{"cpu", core::Quantity::FromInt(16)}, {"pods", core::Quantity::FromInt(20)}}, {},
      scarce,
      {{"zone-a", catalog::CapacityType::kOnDemand, 0.5, catalog::PriceSource::kCustom, true},
       {"zone-b", catalog::CapacityType::kOnDemand, 0.5, catalog::PriceSource::kCustom, false}}));
  s.catalog = *catalog::Catalog::Create(std::move(types));
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("p", "1", "1Gi", "  nodeSelector: {topology.kubernetes.io/zone: zone-b}\n"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  ASSERT_EQ(trail.node_pools.size(), 1u);
  EXPECT_THAT(trail.node_pools[0].eliminated,
              ElementsAre(EliminationGroup{
                  "no available offering in topology.kubernetes.io/zone In [zone-b]", 1,
                  {"scarce"}}));
  EXPECT_THAT(trail.node_pools[0].cheapest, ElementsAre("small"));
}

TEST(ExplainPod, MinValuesFailureRulesOutTheTypesLeft) {
  Scenario s;
  s.AddPool(MakePool("default",
                     "      requirements:\n      - {key: node.kubernetes.io/instance-type, "
                     "operator: In, values: [small, medium, large], minValues: 2}\n"));
  s.AddPod(MakePod("p", "5"));
  PodTrail trail = ExplainPod(s.input, s.pods[0]);
  EXPECT_EQ(trail.outcome, TrailOutcome::kUnschedulable);
  ASSERT_EQ(trail.node_pools.size(), 1u);
  const NodePoolCheck& pool = trail.node_pools[0];
  EXPECT_EQ(pool.check, "instance types");
  EXPECT_EQ(pool.reason, "minValues not met: node.kubernetes.io/instance-type has 1 of minValues 2");
  EXPECT_THAT(pool.eliminated,
              ElementsAre(EliminationGroup{"cpu 5 > allocatable (largest among them 4)",
                                           2,
                                           {"medium", "small"}},
                          EliminationGroup{"minValues not met: node.kubernetes.io/instance-type "
                                           "has 1 of minValues 2",
                                           1,
                                           {"large"}}));
  EXPECT_EQ(pool.remaining, 0u);
  EXPECT_THAT(pool.cheapest, IsEmpty());
}

TEST(ExplainPod, FormatsAnUnschedulableTrail) {
  Scenario s;
  s.AddPool(MakePool("tainted",
                     "      taints:\n      - {key: dedicated, value: db, effect: NoSchedule}\n",
                     "  weight: 5\n"));
  s.AddPool(MakePool("default"));
  ExistingNode node = Node("node-1", 1);
  s.input.existing_nodes.push_back(node);
  s.AddPod(MakePod("huge", "9"));
  EXPECT_THAT(
      FormatTrail(ExplainPod(s.input, s.pods[0])),
      ElementsAre(
          "Pod default/huge: unschedulable (1 attempt)",
          "  reason: nodepool \"tainted\": did not tolerate taint (taint=dedicated=db:NoSchedule); "
          "nodepool \"default\": no instance type has enough resources (cpu 9 > largest "
          "allocatable 8)",
          "Existing nodes, in the order tried:", "  node-1: resources: cpu 9 > 1 free",
          "NodePools, by weight then name:",
          "  tainted (weight 5): 3 instance types, 3 allowed by its requirements",
          "    => excluded by taints: did not tolerate taint (taint=dedicated=db:NoSchedule)",
          "  default (weight 0): 3 instance types, 3 allowed by its requirements",
          "    3 types: cpu 9 > allocatable (largest among them 8) (large, medium, small)",
          "    0 types left",
          "    => excluded by instance types: no instance type has enough resources (cpu 9 > "
          "largest allocatable 8)"));
}

// Tracing one pod must not change what the run decides for any pod.
TEST(ExplainPod, TracingDoesNotChangeThePlan) {
  Scenario s;
  s.AddPool(MakePool("default"));
  for (int i = 0; i < 6; ++i) {
    s.AddPod(MakePod("web-" + std::to_string(i), "1", "1Gi", kAntiAffinity, "    app: web\n"));
    s.AddPod(MakePod("any-" + std::to_string(i), "700m"));
  }
  SchedulingResult plain = s.Run();
  for (const api::Pod& pod : s.pods) {
    PodTrail trail;
    Solver solver(s.input);
    solver.Trace(&pod, &trail);
    SchedulingResult traced = solver.Run();
    ASSERT_EQ(traced.new_node_claims.size(), plain.new_node_claims.size());
    for (size_t c = 0; c < plain.new_node_claims.size(); ++c) {
      EXPECT_EQ(Names(traced.new_node_claims[c].pods), Names(plain.new_node_claims[c].pods));
      EXPECT_EQ(traced.new_node_claims[c].requirements, plain.new_node_claims[c].requirements);
    }
    EXPECT_NE(trail.attempts, 0);
  }
}

}  // namespace
}  // namespace karpenter::scheduling
