#include "sim/objects.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim_test_util.h"

namespace karpenter::sim {
namespace {

using testing::DiagnosticsText;
using ::testing::HasSubstr;
using testing::LoadYaml;

TEST(LoadObjects, DecodesEveryKindTheSimulationReads) {
  // append, not operator+: GCC 12 -O2 warns falsely (-Warray-bounds) on string(literal) + "...".
  LoadedObjects loaded = LoadYaml(std::string(testing::kNodePoolAndCatalog)
                                      .append(R"(
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: agent}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {team: a}}
)")
                                      .append(testing::PodYaml("p", "1")));
  EXPECT_EQ(DiagnosticsText(loaded.diagnostics), "");
  const Objects& o = loaded.objects;
  ASSERT_EQ(o.node_pools.size(), 1u);
  // CRD defaults are applied before decoding (disruption.consolidateAfter defaults to 0s).
  EXPECT_TRUE(o.node_pools[0].spec.disruption.consolidate_after.has_value());
  EXPECT_EQ(o.node_classes.size(), 1u);
  EXPECT_EQ(o.instance_types.size(), 2u);
  EXPECT_EQ(o.nodes.size(), 1u);
  ASSERT_EQ(o.daemon_sets.size(), 1u);
  EXPECT_EQ(o.daemon_sets[0].metadata.namespace_, "kube-system");
  ASSERT_EQ(o.pod_disruption_budgets.size(), 1u);
  EXPECT_EQ(o.pod_disruption_budgets[0].metadata.namespace_, "default");
  EXPECT_EQ(o.namespaces.size(), 1u);
  ASSERT_EQ(o.pods.size(), 1u);
  EXPECT_EQ(o.pods[0].metadata.namespace_, "default");  // as kubectl would create it
}

TEST(LoadObjects, InvalidObjectsAreLeftOutAndTheRestKept) {
  LoadedObjects loaded = LoadYaml(testing::PodYaml("good", "1") + R"(---
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - name: c
    resources: {requests: {cpu: "-1"}}
)");
  ASSERT_EQ(loaded.objects.pods.size(), 1u);
  EXPECT_EQ(loaded.objects.pods[0].metadata.name, "good");
  const std::string text = DiagnosticsText(loaded.diagnostics);
  EXPECT_THAT(text, HasSubstr("error: Pod/bad: spec.containers[0].resources.requests.cpu"));
  EXPECT_THAT(text, HasSubstr("warning: Pod/bad: left out of the simulation because of "
                              "the errors above"));
  EXPECT_TRUE(api::HasErrors(loaded.diagnostics));
}

TEST(LoadObjects, LegacyKindsAreLeftOutWithAPointerToConvert) {
  LoadedObjects loaded = LoadYaml(R"(
apiVersion: karpenter.sh/v1alpha5
kind: Provisioner
metadata: {name: default}
spec: {providerRef: {name: default}}
)");
  EXPECT_TRUE(loaded.objects.node_pools.empty());
  EXPECT_THAT(DiagnosticsText(loaded.diagnostics),
              HasSubstr("input.yaml:2:1: warning: Provisioner/default: left out of the "
                        "simulation: run `karpenter convert` and simulate the v1 objects"));
}

TEST(LoadObjects, TheLastDefinitionWins) {
  LoadedObjects loaded = LoadYaml(testing::PodYaml("p", "1") + testing::PodYaml("q", "1") +
                                  testing::PodYaml("p", "3"));
  ASSERT_EQ(loaded.objects.pods.size(), 2u);
  EXPECT_EQ(loaded.objects.pods[0].metadata.name, "p");
  EXPECT_EQ(loaded.objects.pods[0].spec.containers[0].resources.requests.ToString(), "{cpu: 3}");
  EXPECT_EQ(loaded.objects.pods[1].metadata.name, "q");
  EXPECT_THAT(DiagnosticsText(loaded.diagnostics),
              HasSubstr("defined more than once in the input; the last definition wins"));
}

TEST(LoadObjects, ListItemsAreLoadedOneByOne) {
  LoadedObjects loaded = LoadYaml(R"(
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: a}}
- {apiVersion: v1, kind: Node, metadata: {name: b}}
)");
  ASSERT_EQ(loaded.objects.nodes.size(), 2u);
  EXPECT_EQ(loaded.objects.nodes[1].metadata.name, "b");
}

}  // namespace
}  // namespace karpenter::sim
