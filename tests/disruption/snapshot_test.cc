#include "disruption/snapshot.h"

#include <gtest/gtest.h>

#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::At;

TEST(Snapshot, BuildPairsNodesClaimsAndPods) {
  ClusterObjects objects;
  objects.nodes.push_back(testing::Share(testing::NodeYaml(R"(apiVersion: v1
kind: Node
metadata:
  name: ip-10-0-0-1
  labels: {karpenter.sh/nodepool: general, karpenter.sh/initialized: "true"}
spec: {providerID: "aws:///us-west-2a/i-1"}
)")));
  objects.nodes.push_back(testing::Share(testing::NodeYaml(R"(apiVersion: v1
kind: Node
metadata:
  name: ip-10-0-0-2
  labels: {karpenter.sh/nodepool: general}
  deletionTimestamp: "2024-05-27T11:00:00Z"
spec: {providerID: "aws:///us-west-2a/i-2"}
status:
  conditions: [{type: Ready, status: "False"}]
)")));
  objects.nodes.push_back(testing::Share(testing::NodeYaml(R"(apiVersion: v1
kind: Node
metadata: {name: system-1}
)")));
  objects.node_claims.push_back(testing::Share(testing::NodeClaimYaml(R"(apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata: {name: general-abc, labels: {karpenter.sh/nodepool: general}}
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements: []
status: {providerID: "aws:///us-west-2a/i-1"}
)")));
  objects.node_claims.push_back(testing::Share(testing::NodeClaimYaml(R"(apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata: {name: general-def, labels: {karpenter.sh/nodepool: general}}
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements: []
status: {nodeName: ip-10-0-0-2}
)")));
  objects.node_claims.push_back(testing::Share(testing::NodeClaimYaml(R"(apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata: {name: general-ghi, labels: {karpenter.sh/nodepool: spare}}
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements: []
)")));
  objects.pods.push_back(testing::Share(testing::RunningPod("default", "web-0", "ip-10-0-0-1")));
  objects.pods.push_back(testing::Share(testing::RunningPod("default", "pending", "")));
  objects.pods.push_back(
      testing::Share(testing::RunningPod("default", "elsewhere", "unknown-node")));
  objects.pods.push_back(testing::Share(testing::RunningPod("kube-system", "coredns", "system-1")));
  objects.nominated_nodes = {"system-1"};

  Snapshot snapshot = BuildSnapshot(std::move(objects), At("2024-05-27T12:00:00Z"));
  EXPECT_EQ(snapshot.now, At("2024-05-27T12:00:00Z"));
  ASSERT_EQ(snapshot.nodes.size(), 4u);
  const SnapshotNode& first = snapshot.nodes[0];
  EXPECT_EQ(first.Name(), "ip-10-0-0-1");
  ASSERT_TRUE(first.node_claim != nullptr);
  EXPECT_EQ(first.node_claim->metadata.name, "general-abc");
  EXPECT_EQ(first.node_pool, "general");
  EXPECT_TRUE(first.initialized);
  EXPECT_FALSE(first.deleting);
  EXPECT_TRUE(first.Ready());  // no Ready condition written: counts as ready
  ASSERT_EQ(first.pods.size(), 1u);
  EXPECT_EQ(first.pods[0]->metadata.name, "web-0");

  const SnapshotNode& second = snapshot.nodes[1];
  EXPECT_EQ(second.node_claim->metadata.name, "general-def");
  EXPECT_FALSE(second.initialized);
  EXPECT_TRUE(second.deleting);
  EXPECT_FALSE(second.Ready());

  const SnapshotNode& system = snapshot.nodes[2];
  EXPECT_FALSE(system.node_claim != nullptr);
  EXPECT_EQ(system.node_pool, "");
  EXPECT_TRUE(system.nominated);
  EXPECT_EQ(system.pods.size(), 1u);

  const SnapshotNode& unregistered = snapshot.nodes[3];
  EXPECT_FALSE(unregistered.node != nullptr);
  EXPECT_EQ(unregistered.Name(), "general-ghi");
  EXPECT_EQ(unregistered.node_pool, "spare");
  EXPECT_FALSE(unregistered.Ready());
}

TEST(Snapshot, TheDisruptedTaintMeansACommandIsUnderWay) {
  // Karpenter taints the nodes of a command it is carrying out: they are as good as deleted.
  ClusterObjects objects;
  for (const char* effect : {"NoSchedule", "NoExecute"}) {
    objects.nodes.push_back(testing::Share(testing::NodeYaml(std::string(R"(apiVersion: v1
kind: Node
metadata: {name: n-)") + effect + R"(}
spec:
  taints: [{key: karpenter.sh/disrupted, effect: )" + effect +
                                                             "}]\n")));
  }
  Snapshot snapshot = BuildSnapshot(std::move(objects), At("2024-05-27T12:00:00Z"));
  ASSERT_EQ(snapshot.nodes.size(), 2u);
  EXPECT_TRUE(snapshot.nodes[0].deleting);
  EXPECT_FALSE(snapshot.nodes[1].deleting);  // not the taint Karpenter writes
}

TEST(Snapshot, FormatTime) {
  EXPECT_EQ(FormatTime(At("2024-05-27T12:34:56Z") + std::chrono::milliseconds(999)),
            "2024-05-27T12:34:56Z");
}

}  // namespace
}  // namespace karpenter::disruption
