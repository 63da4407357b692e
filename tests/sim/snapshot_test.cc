#include "sim/snapshot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "sim_test_util.h"

namespace karpenter::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::DiagnosticsText;
using testing::kNodePoolAndCatalog;
using testing::PodYaml;
using testing::SnapshotOf;

std::vector<std::string> PendingNames(const Snapshot& snapshot, int round) {
  std::vector<std::string> names;
  auto it = snapshot.rounds.find(round);
  if (it == snapshot.rounds.end()) return names;
  for (const api::Pod* pod : it->second) names.push_back(pod->metadata.name);
  return names;
}

std::string Deployment(const std::string& name, int replicas, const std::string& extra = "") {
  return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name +
         "}\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector: {matchLabels: {app: " + name + "}}\n  template:\n    metadata:\n" +
         "      labels: {app: " + name + "}\n" + extra +
         "    spec:\n      containers:\n      - name: c\n        image: pause\n" +
         "        resources: {requests: {cpu: \"1\"}}\n";
}

TEST(BuildSnapshot, DeploymentReplicasAreNamedLikeTheControllersName) {
  const std::string yaml = std::string(kNodePoolAndCatalog) + Deployment("inflate", 3);
  Snapshot snapshot = SnapshotOf(yaml);
  ASSERT_EQ(snapshot.pods.size(), 3u);
  const std::regex shape("inflate-([bcdfghjklmnpqrstvwxz2456789]{1,10})-[bcdfghjklmnpqrstvwxz2456789]{5}");
  std::smatch match;
  const std::string first = snapshot.pods[0].metadata.name;
  ASSERT_TRUE(std::regex_match(first, match, shape)) << first;
  const std::string hash = match[1];
  std::set<std::string> names;
  for (const api::Pod& pod : snapshot.pods) {
    EXPECT_TRUE(std::regex_match(pod.metadata.name, shape)) << pod.metadata.name;
    EXPECT_EQ(pod.metadata.name.substr(0, 8 + hash.size() + 1), "inflate-" + hash + "-");
    EXPECT_EQ(pod.metadata.namespace_, "default");
    EXPECT_EQ(pod.metadata.labels.at("app"), "inflate");
    EXPECT_EQ(pod.metadata.labels.at("pod-template-hash"), hash);
    ASSERT_EQ(pod.metadata.owner_references.size(), 1u);
    EXPECT_EQ(pod.metadata.owner_references[0].kind, "ReplicaSet");
    EXPECT_EQ(pod.metadata.owner_references[0].name, "inflate-" + hash);
    EXPECT_FALSE(pod.metadata.uid.empty());
    names.insert(pod.metadata.name);
  }
  EXPECT_EQ(names.size(), 3u);
  EXPECT_EQ(PendingNames(snapshot, 1).size(), 3u);
  // The same input gives the same names.
  Snapshot again = SnapshotOf(yaml);
  EXPECT_EQ(PendingNames(again, 1), PendingNames(snapshot, 1));
}

TEST(BuildSnapshot, ExistingMatchingPodsCountAsReplicas) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + Deployment("web", 3) +
                                 PodYaml("web-old", "1", "  labels: {app: web}\n"));
  EXPECT_EQ(snapshot.pods.size(), 3u);  // the input pod and two new replicas
  EXPECT_EQ(PendingNames(snapshot, 1).front(), "web-old");
}

TEST(BuildSnapshot, StatefulSetPodsAreNumbered) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + R"(---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: db}]}
  volumeClaimTemplates:
  - metadata: {name: pgdata}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)");
  ASSERT_EQ(snapshot.pods.size(), 2u);
  // The input has no PersistentVolumeClaims for the replicas: the StatefulSet controller would
  // create them unbound with the pods, so they constrain nothing and the pods are pending.
  EXPECT_THAT(PendingNames(snapshot, 1), ElementsAre("db-0", "db-1"));
  EXPECT_THAT(snapshot.rejected, ::testing::IsEmpty());
  const api::Pod& pod = snapshot.pods[1];
  EXPECT_EQ(pod.metadata.namespace_, "data");
  EXPECT_EQ(pod.metadata.labels.at("statefulset.kubernetes.io/pod-name"), "db-1");
  EXPECT_EQ(pod.metadata.labels.at("apps.kubernetes.io/pod-index"), "1");
  EXPECT_EQ(pod.metadata.labels.at("controller-revision-hash").rfind("db-", 0), 0u);
  ASSERT_EQ(pod.spec.volumes.size(), 1u);
  EXPECT_EQ(pod.spec.volumes[0].claim_name, "pgdata-db-1");
  EXPECT_EQ(pod.metadata.owner_references.at(0).kind, "StatefulSet");
}

TEST(BuildSnapshot, ReplicaSetOfAnInputDeploymentIsNotExpandedTwice) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + Deployment("web", 2) + R"(---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-abc
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u1, controller: true}]
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: web}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: lonely}
spec:
  replicas: 1
  selector: {matchLabels: {app: lonely}}
  template:
    metadata: {labels: {app: lonely}}
    spec: {containers: [{name: c, image: web}]}
)");
  ASSERT_EQ(snapshot.pods.size(), 3u);
  EXPECT_EQ(snapshot.pods[2].metadata.name.rfind("lonely-", 0), 0u);
  EXPECT_EQ(snapshot.pods[2].metadata.name.size(), std::string("lonely-").size() + 5);
}

constexpr std::string_view kNodeAndClaims = R"(---
apiVersion: v1
kind: Node
metadata:
  name: ip-10-0-0-1
  labels: {karpenter.sh/nodepool: default, node.kubernetes.io/instance-type: large,
           topology.kubernetes.io/zone: zone-a, karpenter.sh/initialized: "true"}
spec: {providerID: "aws:///zone-a/i-1"}
status:
  capacity: {cpu: "8", memory: 32Gi, pods: "40"}
  allocatable: {cpu: 7900m, memory: 31Gi, pods: "40"}
---
apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata: {name: default-aaaaa, labels: {karpenter.sh/nodepool: default}}
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements:
  - {key: node.kubernetes.io/instance-type, operator: In, values: [large]}
status: {providerID: "aws:///zone-a/i-1"}
---
apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata: {name: default-bbbbb, labels: {karpenter.sh/nodepool: default}}
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements:
  - {key: node.kubernetes.io/instance-type, operator: In, values: [small]}
  - {key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}
  - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
)";

TEST(BuildSnapshot, NodesAndInFlightNodeClaimsAreExistingCapacity) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + std::string(kNodeAndClaims));
  ASSERT_EQ(snapshot.existing_nodes.size(), 2u);
  const scheduling::ExistingNode& node = snapshot.existing_nodes[0];
  EXPECT_EQ(node.name, "ip-10-0-0-1");  // the NodeClaim default-aaaaa is this node
  EXPECT_EQ(node.node_pool, "default");
  EXPECT_EQ(node.labels.at("kubernetes.io/hostname"), "ip-10-0-0-1");
  EXPECT_EQ(node.allocatable.ToString(), "{cpu: 7900m, memory: 31Gi, pods: 40}");
  EXPECT_TRUE(node.initialized);
  const scheduling::ExistingNode& in_flight = snapshot.existing_nodes[1];
  EXPECT_EQ(in_flight.name, "default-bbbbb");
  EXPECT_EQ(in_flight.labels.at("kubernetes.io/hostname"), "default-bbbbb");
  EXPECT_EQ(in_flight.labels.at("node.kubernetes.io/instance-type"), "small");
  EXPECT_EQ(in_flight.labels.at("topology.kubernetes.io/zone"), "zone-a");
  EXPECT_FALSE(in_flight.labels.contains("karpenter.sh/capacity-type"));  // two values
  // No status yet: the catalog's type tells its size.
  EXPECT_EQ(in_flight.allocatable.ToString(), "{cpu: 2, memory: 4Gi, pods: 10}");
  EXPECT_FALSE(in_flight.initialized);
  // Both count against the NodePool's limits.
  ASSERT_EQ(snapshot.node_pools.size(), 1u);
  EXPECT_EQ(snapshot.node_pools[0].in_use.ToString(), "{cpu: 10, memory: 36Gi, nodes: 2, pods: 50}");
}

TEST(BuildSnapshot, BoundPodsUseTheirNode) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + std::string(kNodeAndClaims) +
                                 PodYaml("running", "1", "", "  nodeName: ip-10-0-0-1\n") +
                                 PodYaml("elsewhere", "1", "", "  nodeName: gone\n") +
                                 PodYaml("pending", "1"));
  ASSERT_EQ(snapshot.existing_nodes[0].pods.size(), 1u);
  EXPECT_EQ(snapshot.existing_nodes[0].pods[0]->metadata.name, "running");
  EXPECT_THAT(PendingNames(snapshot, 1), ElementsAre("pending"));
  EXPECT_THAT(DiagnosticsText(snapshot.diagnostics),
              HasSubstr("warning: Pod/default/elsewhere: bound to node \"gone\", which is not in "
                        "the input: it takes no simulated capacity"));
}

TEST(BuildSnapshot, PodsAreGroupedIntoRounds) {
  const std::string round = "  annotations: {sim.karpenter-cpp.io/round: \"";
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) +
                                 PodYaml("a", "1", round + "2\"}\n") + PodYaml("b", "1") +
                                 PodYaml("c", "1", round + "10\"}\n") +
                                 PodYaml("d", "1", round + "two\"}\n") +
                                 PodYaml("e", "1", round + "2\"}\n"));
  ASSERT_EQ(snapshot.rounds.size(), 3u);
  EXPECT_THAT(PendingNames(snapshot, 1), ElementsAre("b", "d"));
  EXPECT_THAT(PendingNames(snapshot, 2), ElementsAre("a", "e"));
  EXPECT_THAT(PendingNames(snapshot, 10), ElementsAre("c"));
  EXPECT_THAT(DiagnosticsText(snapshot.diagnostics),
              HasSubstr("warning: Pod/default/d: metadata.annotations[sim.karpenter-cpp.io/round]: "
                        "\"two\" is not a positive integer; the pod is provisioned in round 1"));
}

TEST(BuildSnapshot, DaemonSetAndStaticPodsAreNotPending) {
  Snapshot snapshot = SnapshotOf(
      std::string(kNodePoolAndCatalog) +
      PodYaml("agent-x", "1",
              "  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: u}]\n") +
      PodYaml("static", "1", "  ownerReferences: [{apiVersion: v1, kind: Node, name: n, uid: u}]\n") +
      PodYaml("done", "1") + "status: {phase: Succeeded}\n");
  EXPECT_TRUE(snapshot.rounds.empty());
}

TEST(BuildSnapshot, NodePoolWithoutItsNodeClassIsNotReady) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + R"(---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: orphan}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: missing}
      requirements: []
)");
  ASSERT_EQ(snapshot.node_pools.size(), 1u);
  EXPECT_EQ(snapshot.node_pools[0].node_pool->metadata.name, "default");
  EXPECT_THAT(DiagnosticsText(snapshot.diagnostics),
              HasSubstr("warning: NodePool/orphan: not simulated: its nodeClassRef "
                        "karpenter.k8s.aws/EC2NodeClass \"missing\" is not in the input, so the "
                        "NodePool would not be Ready"));
}

TEST(BuildSnapshot, InstanceTypeDocumentsReplaceTheAwsCatalog) {
  Snapshot snapshot = SnapshotOf(kNodePoolAndCatalog);
  EXPECT_TRUE(snapshot.custom_catalog);
  ASSERT_EQ(snapshot.catalogs.size(), 1u);
  ASSERT_EQ(snapshot.node_pools.size(), 1u);
  const catalog::Catalog& catalog = *snapshot.node_pools[0].catalog;
  EXPECT_EQ(catalog.size(), 2u);
  EXPECT_NE(catalog.Find("small"), nullptr);
  EXPECT_EQ(catalog.Find("m5.large"), nullptr);
}

TEST(BuildSnapshot, WithoutInstanceTypesNodePoolsUseTheRegionsAwsCatalog) {
  std::string yaml(kNodePoolAndCatalog);
  yaml = yaml.substr(0, yaml.find("---\napiVersion: sim.karpenter-cpp.io"));
  // A second NodeClass with the same capacity settings shares the catalog.
  yaml += R"(---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: other}
spec:
  role: KarpenterNodeRole-test
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: other}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: other}}]
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: other}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: other}
      requirements: []
)";
  Snapshot snapshot = SnapshotOf(yaml);
  EXPECT_FALSE(snapshot.custom_catalog);
  ASSERT_EQ(snapshot.node_pools.size(), 2u);
  ASSERT_EQ(snapshot.catalogs.size(), 1u);
  EXPECT_EQ(snapshot.node_pools[0].catalog, snapshot.node_pools[1].catalog);
  EXPECT_EQ(snapshot.node_pools[0].catalog->region(), "us-east-1");
  EXPECT_NE(snapshot.node_pools[0].catalog->Find("m5.large"), nullptr);
}

TEST(BuildSnapshot, UnknownRegionFails) {
  std::string yaml(kNodePoolAndCatalog);
  yaml = yaml.substr(0, yaml.find("---\napiVersion: sim.karpenter-cpp.io"));
  LoadedObjects loaded = testing::LoadYaml(yaml);
  SnapshotOptions options;
  options.region = "mars-north-1";
  auto snapshot = BuildSnapshot(std::move(loaded.objects), options);
  ASSERT_FALSE(snapshot.has_value());
  EXPECT_THAT(snapshot.error().message, HasSubstr("mars-north-1"));
}

TEST(BuildSnapshot, NamespacesCarryTheirLabels) {
  Snapshot snapshot = SnapshotOf(std::string(kNodePoolAndCatalog) + R"(---
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {team: a}}
)" + PodYaml("p", "1"));
  EXPECT_EQ(snapshot.namespace_labels.at("team-a"),
            (core::Labels{{"kubernetes.io/metadata.name", "team-a"}, {"team", "a"}}));
  EXPECT_EQ(snapshot.namespace_labels.at("default"),
            (core::Labels{{"kubernetes.io/metadata.name", "default"}}));
}

}  // namespace
}  // namespace karpenter::sim
