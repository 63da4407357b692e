#include <chrono>

#include <gtest/gtest.h>

#include "api/codec/node_claim_codec.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using namespace std::chrono_literals;
using codec::DecodeNodeClaim;
using codec::EncodeNodeClaim;
using core::NillableDuration;
using core::Operator;
using core::Quantity;
using core::TaintEffect;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::Yaml;

Quantity Q(std::string_view text) { return *Quantity::Parse(text); }

// A NodeClaim as Karpenter writes it once the node has registered and initialized.
constexpr const char* kLaunchedNodeClaim = R"(
apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata:
  name: default-x7k2p
  generateName: default-
  uid: 6f1c8a52-2b1e-4c1e-9d7a-3f0b7e1c2a90
  resourceVersion: "48213"
  generation: 1
  creationTimestamp: "2024-05-27T10:00:00Z"
  labels:
    karpenter.sh/nodepool: default
    karpenter.sh/capacity-type: spot
    node.kubernetes.io/instance-type: m5.large
    topology.kubernetes.io/zone: us-west-2a
  annotations:
    karpenter.k8s.aws/ec2nodeclass-hash: "4012513481623584108"
  finalizers: [karpenter.sh/termination]
  ownerReferences:
    - apiVersion: karpenter.sh/v1
      kind: NodePool
      name: default
      uid: 0a1b2c3d-0000-4000-8000-000000000001
      blockOwnerDeletion: true
spec:
  expireAfter: 720h
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements:
    - {key: karpenter.sh/nodepool, operator: In, values: [default]}
    - key: node.kubernetes.io/instance-type
      operator: In
      values: [m5.large, m5a.large, m6i.large]
      minValues: 2
    - {key: karpenter.k8s.aws/instance-cpu, operator: Gt, values: ["1"]}
  resources:
    requests: {cpu: 1150m, memory: 1608Mi, pods: "7"}
  taints:
    - {key: example.com/special, value: "true", effect: NoSchedule}
  startupTaints:
    - {key: node.cilium.io/agent-not-ready, value: "true", effect: NoExecute}
  terminationGracePeriod: 24h
status:
  nodeName: ip-192-168-12-34.us-west-2.compute.internal
  providerID: aws:///us-west-2a/i-0123456789abcdef0
  imageID: ami-0a1b2c3d4e5f67890
  capacity: {cpu: "2", memory: 7910Mi, pods: "29", ephemeral-storage: 20Gi}
  allocatable: {cpu: 1930m, memory: 7220Mi, pods: "29", ephemeral-storage: 17Gi}
  lastPodEventTime: "2024-05-27T10:03:12Z"
  conditions:
    - {type: Launched, status: "True", reason: Launched, message: "", lastTransitionTime: "2024-05-27T10:00:05Z"}
    - {type: Registered, status: "True", reason: Registered, message: "", lastTransitionTime: "2024-05-27T10:00:41Z"}
    - {type: Initialized, status: "True", reason: Initialized, message: "", lastTransitionTime: "2024-05-27T10:00:52Z"}
    - {type: Ready, status: "True", reason: Ready, message: "", lastTransitionTime: "2024-05-27T10:00:52Z", observedGeneration: 1}
)";

TEST(NodeClaimCodecTest, DecodesEveryField) {
  Json input = Yaml(kLaunchedNodeClaim);
  FieldErrors errors;
  NodeClaim claim = DecodeNodeClaim(input, errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));

  EXPECT_EQ(claim.metadata.name, "default-x7k2p");
  EXPECT_EQ(claim.metadata.generate_name, "default-");
  EXPECT_EQ(claim.metadata.creation_timestamp, 1716804000);
  EXPECT_EQ(claim.metadata.labels, (Labels{{"karpenter.sh/nodepool", "default"},
                                           {"karpenter.sh/capacity-type", "spot"},
                                           {"node.kubernetes.io/instance-type", "m5.large"},
                                           {"topology.kubernetes.io/zone", "us-west-2a"}}));
  EXPECT_EQ(claim.metadata.finalizers, std::vector<std::string>{"karpenter.sh/termination"});
  ASSERT_EQ(claim.metadata.owner_references.size(), 1u);
  EXPECT_EQ(claim.metadata.owner_references[0].kind, "NodePool");
  EXPECT_TRUE(claim.metadata.owner_references[0].block_owner_deletion);

  NodeClaimSpec expected_spec;
  expected_spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
  expected_spec.requirements = {
      {"karpenter.sh/nodepool", Operator::In, {"default"}, {}},
      {"node.kubernetes.io/instance-type", Operator::In, {"m5.large", "m5a.large", "m6i.large"}, 2},
      {"karpenter.k8s.aws/instance-cpu", Operator::Gt, {"1"}, {}},
  };
  expected_spec.taints = {{"example.com/special", "true", TaintEffect::NoSchedule}};
  expected_spec.startup_taints = {{"node.cilium.io/agent-not-ready", "true", TaintEffect::NoExecute}};
  expected_spec.expire_after = NillableDuration(720h);
  expected_spec.termination_grace_period = 24h;
  expected_spec.resource_requests = {{"cpu", Q("1150m")}, {"memory", Q("1608Mi")}, {"pods", Q("7")}};
  EXPECT_EQ(claim.spec, expected_spec);

  NodeClaimStatus expected_status;
  expected_status.node_name = "ip-192-168-12-34.us-west-2.compute.internal";
  expected_status.provider_id = "aws:///us-west-2a/i-0123456789abcdef0";
  expected_status.image_id = "ami-0a1b2c3d4e5f67890";
  expected_status.capacity = {{"cpu", Q("2")}, {"memory", Q("7910Mi")}, {"pods", Q("29")},
                              {"ephemeral-storage", Q("20Gi")}};
  expected_status.allocatable = {{"cpu", Q("1930m")}, {"memory", Q("7220Mi")}, {"pods", Q("29")},
                                 {"ephemeral-storage", Q("17Gi")}};
  expected_status.last_pod_event_time = 1716804192;
  expected_status.conditions = {
      {"Launched", "True", 0, 1716804005, "Launched", ""},
      {"Registered", "True", 0, 1716804041, "Registered", ""},
      {"Initialized", "True", 0, 1716804052, "Initialized", ""},
      {"Ready", "True", 1, 1716804052, "Ready", ""},
  };
  EXPECT_EQ(claim.status, expected_status);

  EXPECT_JSON_EQ(EncodeNodeClaim(claim), input);
}

TEST(NodeClaimCodecTest, RoundTripKeepsUnknownFields) {
  Json input = Yaml(R"(
apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata: {name: c, x-meta: 1}
spec:
  x-spec: {nested: [1, {a: b}]}
  resources: {requests: {cpu: 0.5}, limits: {cpu: "1"}}
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements: [{key: k, operator: Exists, x-req: true}]
  startupTaints: [{key: s, effect: NoSchedule, timeAdded: "2024-05-27T10:00:00Z"}]
status:
  conditions: [{type: Drifted, status: "True", reason: AMIDrift, message: AMI changed, lastTransitionTime: "2024-05-27T10:00:00+02:00"}]
  x-status: 3
)");
  FieldErrors errors;
  NodeClaim claim = DecodeNodeClaim(input, errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));
  EXPECT_EQ(claim.spec.resource_requests, (core::ResourceList{{"cpu", Q("500m")}}));
  EXPECT_EQ(claim.status.conditions[0].last_transition_time, 1716796800);
  EXPECT_JSON_EQ(EncodeNodeClaim(claim), input);
}

TEST(NodeClaimCodecTest, WrongTypesAreErrorsAndTheRestStillDecodes) {
  FieldErrors errors;
  NodeClaim claim = DecodeNodeClaim(Yaml(R"(
apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata: {name: c}
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: 3, name: default}
  requirements: {key: k}
  resources: {requests: {cpu: [1]}}
  taints: [{key: t, effect: Sometimes}]
  expireAfter: 30d
status:
  nodeName: 7
  capacity: {cpu: "4", memory: lots}
  lastPodEventTime: yesterday
  conditions: [{type: Ready, status: true}]
)"),
                                   errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/spec/taints/0/effect: Unsupported value: \"Sometimes\": supported values: "
                "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                "/spec/requirements: must be a list, not object",
                "/spec/nodeClassRef/kind: must be a string, not integer",
                "/spec/expireAfter: time: unknown unit \"d\" in duration \"30d\"",
                "/spec/resources/requests/cpu: must be a quantity (string or number), not array",
                "/status/nodeName: must be a string, not integer",
                "/status/capacity/memory: invalid quantity \"lots\": " +
                    Quantity::Parse("lots").error().message,
                "/status/conditions/0/status: must be a string, not boolean",
                "/status/lastPodEventTime: invalid RFC 3339 timestamp \"yesterday\"",
            }));
  EXPECT_EQ(claim.spec.node_class_ref, (NodeClassReference{"karpenter.k8s.aws", "", "default"}));
  EXPECT_EQ(claim.status.capacity, (core::ResourceList{{"cpu", Q("4")}}));
  ASSERT_EQ(claim.status.conditions.size(), 1u);
  EXPECT_EQ(claim.status.conditions[0].type, "Ready");
  EXPECT_EQ(claim.spec.ExpireAfter(), NillableDuration(720h));
}

TEST(NodeClaimCodecTest, EncodesDefaultConstructedAsMinimalObject) {
  EXPECT_JSON_EQ(EncodeNodeClaim(NodeClaim{}), Json::parse(R"({
    "apiVersion": "karpenter.sh/v1",
    "kind": "NodeClaim",
    "metadata": {},
    "spec": {"nodeClassRef": {"group": "", "kind": "", "name": ""}, "requirements": []}
  })"));
}

TEST(NodeClaimCodecTest, EncodesANewObjectInCanonicalForm) {
  NodeClaim claim;
  claim.metadata.generate_name = "default-";
  claim.metadata.labels = {{"karpenter.sh/nodepool", "default"}};
  claim.spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
  claim.spec.requirements = {{"karpenter.sh/capacity-type", Operator::In, {"on-demand"}, {}}};
  claim.spec.resource_requests = {{"cpu", Q("1.25")}, {"memory", Q("2048Mi")}};
  claim.spec.expire_after = NillableDuration(720h);
  claim.status.provider_id = "aws:///us-west-2b/i-0abc";
  claim.status.capacity = {{"cpu", Q("2")}};
  claim.status.last_pod_event_time = 1716804192;
  claim.status.conditions = {{"Launched", "Unknown", 0, 1716804000, "AwaitingReconciliation",
                              "object is awaiting reconciliation"}};
  EXPECT_JSON_EQ(EncodeNodeClaim(claim), Json::parse(R"({
    "apiVersion": "karpenter.sh/v1",
    "kind": "NodeClaim",
    "metadata": {"generateName": "default-", "labels": {"karpenter.sh/nodepool": "default"}},
    "spec": {
      "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
      "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]}],
      "expireAfter": "720h0m0s",
      "resources": {"requests": {"cpu": "1250m", "memory": "2Gi"}}
    },
    "status": {
      "providerID": "aws:///us-west-2b/i-0abc",
      "capacity": {"cpu": "2"},
      "conditions": [{"type": "Launched", "status": "Unknown",
                      "lastTransitionTime": "2024-05-27T10:00:00Z",
                      "reason": "AwaitingReconciliation",
                      "message": "object is awaiting reconciliation"}],
      "lastPodEventTime": "2024-05-27T10:03:12Z"
    }
  })"));
}

TEST(NodeClaimCodecTest, EncodesStatusChangesOverRaw) {
  FieldErrors errors;
  NodeClaim claim = DecodeNodeClaim(Yaml(kLaunchedNodeClaim), errors);
  ASSERT_TRUE(errors.empty());
  claim.status.conditions.erase(claim.status.conditions.begin(),
                                claim.status.conditions.begin() + 3);
  claim.status.conditions[0].status = "False";
  claim.status.conditions[0].reason = "KubeletNotReady";
  claim.status.last_pod_event_time.reset();
  claim.status.allocatable.Set("memory", Q("7000Mi"));
  Json encoded = EncodeNodeClaim(claim);
  // Element 0 of conditions is written over raw element 0 (Launched): its fields become the
  // Ready condition's, and its extra keys are none.
  EXPECT_JSON_EQ(encoded["status"]["conditions"], Json::parse(R"([
    {"type": "Ready", "status": "False", "reason": "KubeletNotReady", "message": "",
     "lastTransitionTime": "2024-05-27T10:00:52Z", "observedGeneration": 1}
  ])"));
  EXPECT_JSON_EQ(encoded["status"]["allocatable"],
                 Json::parse(R"({"cpu": "1930m", "memory": "7000Mi", "pods": "29",
                                 "ephemeral-storage": "17Gi"})"));
  EXPECT_FALSE(encoded["status"].contains("lastPodEventTime"));
  EXPECT_JSON_EQ(encoded["spec"], Yaml(kLaunchedNodeClaim)["spec"]);
}

}  // namespace
}  // namespace karpenter::api
