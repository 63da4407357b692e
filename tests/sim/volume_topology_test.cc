// Volume topology in the simulation: storage objects are loaded, pending pods get their
// volumes' zones, and pods Karpenter would ignore because of their claims are unschedulable.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "sim/plan_json.h"
#include "sim/simulation.h"
#include "sim_test_util.h"

namespace karpenter::sim {
namespace {

using testing::DiagnosticsText;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::LoadYaml;
using testing::PodYaml;
using testing::SnapshotOf;

// A NodePool on a one-type custom catalog: "m" (4 cpu) is cheapest in us-east-1a.
constexpr std::string_view kPoolAndCatalog = R"(
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: [{key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}]
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  role: KarpenterNodeRole-test
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: test}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: test}}]
---
apiVersion: sim.karpenter-cpp.io/v1alpha1
kind: InstanceType
metadata: {name: m}
spec:
  capacity: {cpu: "4", memory: 16Gi, pods: "20"}
  offerings:
  - {zone: us-east-1a, capacityType: on-demand, price: 0.1}
  - {zone: us-east-1b, capacityType: on-demand, price: 0.2}
)";

// Claim data-db in "default", bound to pvc-1 (an EBS volume in us-east-1b).
constexpr std::string_view kBoundClaim = R"(---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data-db
  annotations: {pv.kubernetes.io/bind-completed: "yes"}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
  storageClassName: gp3
  volumeName: pvc-1
status: {phase: Bound}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pvc-1}
spec:
  accessModes: [ReadWriteOnce]
  capacity: {storage: 10Gi}
  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-1}
  claimRef: {namespace: default, name: data-db}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1b]}
  storageClassName: gp3
)";

constexpr std::string_view kWaitClass = R"(---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp3
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
allowedTopologies:
- matchLabelExpressions:
  - {key: topology.kubernetes.io/zone, values: [us-east-1b]}
)";

// A pod asking for `cpu` (1 by default) with a volume of claim `claim`.
std::string PodWithClaim(const std::string& name, const std::string& claim,
                         const std::string& cpu = "1") {
  return PodYaml(
      name, cpu, "",
      "  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: " + claim + "}\n");
}

std::vector<std::string> Names(const std::vector<const api::Pod*>& pods) {
  std::vector<std::string> names;
  for (const api::Pod* pod : pods) names.push_back(pod->metadata.name);
  return names;
}

TEST(LoadObjects, ReadsTheStorageKinds) {
  LoadedObjects loaded = LoadYaml(std::string(kBoundClaim) + std::string(kWaitClass));
  EXPECT_EQ(DiagnosticsText(loaded.diagnostics), "");
  ASSERT_EQ(loaded.objects.persistent_volume_claims.size(), 1u);
  EXPECT_EQ(loaded.objects.persistent_volume_claims[0].metadata.namespace_, "default");
  EXPECT_EQ(loaded.objects.persistent_volume_claims[0].volume_name, "pvc-1");
  ASSERT_EQ(loaded.objects.persistent_volumes.size(), 1u);
  EXPECT_EQ(loaded.objects.persistent_volumes[0].metadata.namespace_, "");  // cluster-scoped
  ASSERT_EQ(loaded.objects.storage_classes.size(), 1u);
  EXPECT_EQ(loaded.objects.storage_classes[0].metadata.name, "gp3");
}

TEST(LoadObjects, InvalidStorageObjectsAreLeftOut) {
  LoadedObjects loaded = LoadYaml(R"(apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: gp3}
volumeBindingMode: Later
)");
  EXPECT_EQ(DiagnosticsText(loaded.diagnostics),
            "input.yaml:1:1: error: StorageClass/gp3: provisioner: Required value\n"
            "input.yaml:4:1: error: StorageClass/gp3: volumeBindingMode: Unsupported value: "
            "\"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"\n"
            "input.yaml:1:1: warning: StorageClass/gp3: left out of the simulation because of "
            "the errors above\n");
  EXPECT_THAT(loaded.objects.storage_classes, IsEmpty());
}

TEST(VolumeTopology, PodWithABoundVolumeLandsInItsZone) {
  Snapshot snapshot = SnapshotOf(std::string(kPoolAndCatalog) + std::string(kBoundClaim) +
                                 PodYaml("free", "3") + PodWithClaim("db", "data-db", "2"));
  EXPECT_THAT(snapshot.rejected, IsEmpty());
  // The snapshot's pod carries the volume's zone as required node affinity.
  const api::Pod& db = snapshot.pods[1];
  ASSERT_EQ(db.metadata.name, "db");
  ASSERT_EQ(db.spec.affinity.node_affinity.required.size(), 1u);
  EXPECT_EQ(db.spec.affinity.node_affinity.required[0].match_expressions,
            (std::vector<core::NodeSelectorRequirement>{
                {"topology.kubernetes.io/zone", core::Operator::In, {"us-east-1b"}, {}}}));

  Plan plan = Simulate(snapshot);
  EXPECT_THAT(plan.unschedulable, IsEmpty());
  ASSERT_EQ(plan.node_claims.size(), 2u);
  std::map<std::string, std::vector<std::string>> pods_by_zone;
  for (const LaunchedNodeClaim& claim : plan.node_claims) {
    pods_by_zone[claim.offering->zone] = Names(claim.pods);
    EXPECT_EQ(claim.labels.at("topology.kubernetes.io/zone"), claim.offering->zone);
  }
  // 3 + 2 cpu do not fit one 4-cpu node: each pod gets its own.
  EXPECT_THAT(pods_by_zone["us-east-1a"], ElementsAre("free"));  // the cheaper zone
  EXPECT_THAT(pods_by_zone["us-east-1b"], ElementsAre("db"));    // where its volume is
  EXPECT_NEAR(plan.cost_per_hour, 0.3, 1e-9);
}

TEST(VolumeTopology, UnboundClaimGetsTheDefaultClassAndItsTopologies) {
  // No storageClassName: the API server would give the claim the default class, gp3.
  Snapshot snapshot = SnapshotOf(std::string(kPoolAndCatalog) + std::string(kWaitClass) + R"(---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: fresh}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
)" + PodWithClaim("app", "fresh"));
  ASSERT_EQ(snapshot.objects.persistent_volume_claims.size(), 1u);
  EXPECT_EQ(snapshot.objects.persistent_volume_claims[0].storage_class_name, "gp3");
  Plan plan = Simulate(snapshot);
  EXPECT_THAT(plan.unschedulable, IsEmpty());
  ASSERT_EQ(plan.node_claims.size(), 1u);
  EXPECT_EQ(plan.node_claims[0].offering->zone, "us-east-1b");
}

TEST(VolumeTopology, PodsUpstreamIgnoresAreUnschedulableWithTheReason) {
  std::string yaml = std::string(kPoolAndCatalog) + R"(---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: io2}
provisioner: ebs.csi.aws.com
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: now}
spec: {storageClassName: io2}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: pg}
spec:
  replicas: 1
  serviceName: pg
  selector: {matchLabels: {app: pg}}
  template:
    metadata: {labels: {app: pg}}
    spec: {containers: [{name: c, image: pg, resources: {requests: {cpu: "1"}}}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)";
  yaml += PodWithClaim("missing", "nope");
  yaml += PodYaml("later", "1", "  annotations: {sim.karpenter-cpp.io/round: \"2\"}\n",
                  "  volumes: [{name: d, persistentVolumeClaim: {claimName: now}}]\n");
  yaml += PodYaml("fine", "1");
  Snapshot snapshot = SnapshotOf(yaml);
  // pg-0's claim "data-pg-0" is not in the input: the StatefulSet controller would create it
  // unbound with the pod, so it constrains nothing and pg-0 is pending like any other pod
  // (workload replicas come after the input's own pods).
  ASSERT_EQ(snapshot.rejected.size(), 2u);
  EXPECT_EQ(snapshot.rejected[0].pod->metadata.name, "missing");
  EXPECT_EQ(snapshot.rejected[1].pod->metadata.name, "later");
  EXPECT_EQ(snapshot.rejected[1].round, 2);
  EXPECT_THAT(Names(snapshot.rounds.at(1)), ElementsAre("fine", "pg-0"));
  EXPECT_FALSE(snapshot.rounds.contains(2));  // its only pod is rejected

  Plan plan = Simulate(snapshot);
  ASSERT_EQ(plan.node_claims.size(), 1u);
  EXPECT_THAT(Names(plan.node_claims[0].pods), ElementsAre("fine", "pg-0"));
  // Round 1's rejected pods, in input order, then round 2's; the JSON keeps its shape.
  const std::string immediate =
      "persistentvolumeclaim \"now\" is unbound and storageclass \"io2\" has volumeBindingMode "
      "Immediate: the claim must be bound first";
  EXPECT_EQ(
      PlanToJson(plan)["unschedulable"],
      api::Json::array({
          {{"pod", "default/missing"}, {"reason", "persistentvolumeclaim \"nope\" not found"}},
          {{"pod", "default/later"}, {"reason", immediate}},
      }));
  EXPECT_EQ(plan.unschedulable[1].round, 2);
}

TEST(VolumeTopology, StatefulSetReplicasUseTheirClaimsWhenTheInputHasThem) {
  Snapshot snapshot = SnapshotOf(std::string(kPoolAndCatalog) + std::string(kWaitClass) + R"(---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: db, resources: {requests: {cpu: "3"}}}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-db-0}
spec: {storageClassName: gp3}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-db-1}
spec: {storageClassName: gp3}
)");
  EXPECT_THAT(snapshot.rejected, IsEmpty());
  Plan plan = Simulate(snapshot);
  EXPECT_THAT(plan.unschedulable, IsEmpty());
  ASSERT_EQ(plan.node_claims.size(), 2u);  // 3 cpu each: one replica per 4-cpu node
  for (const LaunchedNodeClaim& claim : plan.node_claims) {
    EXPECT_EQ(claim.offering->zone, "us-east-1b");
  }
}

}  // namespace
}  // namespace karpenter::sim
