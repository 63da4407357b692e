#include "api/codec/node_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/codec/namespace_codec.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using codec::DecodeNamespace;
using codec::DecodeNode;
using codec::EncodeNamespace;
using codec::EncodeNode;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::Yaml;

core::ResourceList R(std::initializer_list<std::pair<std::string_view, std::string_view>> list) {
  return *core::ResourceList::Parse(list);
}

constexpr std::string_view kNode = R"(apiVersion: v1
kind: Node
metadata:
  name: ip-192-168-1-10.us-west-2.compute.internal
  labels:
    karpenter.sh/nodepool: default
    kubernetes.io/arch: arm64
    node.kubernetes.io/instance-type: m7g.large
  finalizers: [karpenter.sh/termination]
  creationTimestamp: "2024-05-27T10:00:00Z"
spec:
  providerID: aws:///us-west-2a/i-0123456789abcdef0
  unschedulable: true
  taints:
    - key: karpenter.sh/disrupted
      effect: NoSchedule
    - key: dedicated
      value: gpu
      effect: NoExecute
      timeAdded: "2024-05-27T10:05:00Z"
status:
  capacity:
    cpu: "2"
    memory: 7936952Ki
    pods: "29"
  allocatable:
    cpu: 1930m
    memory: 7246776Ki
    pods: 29
  conditions:
    - type: Ready
      status: "True"
      reason: KubeletReady
      message: kubelet is posting ready status
      lastHeartbeatTime: "2024-05-27T10:10:00Z"
      lastTransitionTime: "2024-05-27T10:01:00Z"
  addresses:
    - type: InternalIP
      address: 192.168.1.10
  nodeInfo:
    architecture: arm64
    operatingSystem: linux
    kubeletVersion: v1.30.0-eks-036c24b
)";

TEST(NodeCodec, DecodesEveryModelledField) {
  FieldErrors errors;
  Node node = DecodeNode(Yaml(kNode), errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(node.metadata.name, "ip-192-168-1-10.us-west-2.compute.internal");
  EXPECT_EQ(node.metadata.labels.at("node.kubernetes.io/instance-type"), "m7g.large");
  EXPECT_EQ(node.metadata.finalizers, (std::vector<std::string>{"karpenter.sh/termination"}));
  EXPECT_EQ(node.spec.provider_id, "aws:///us-west-2a/i-0123456789abcdef0");
  EXPECT_TRUE(node.spec.unschedulable);
  EXPECT_EQ(node.spec.taints,
            (std::vector<core::Taint>{{"karpenter.sh/disrupted", "", core::TaintEffect::NoSchedule},
                                      {"dedicated", "gpu", core::TaintEffect::NoExecute}}));
  EXPECT_EQ(node.status.capacity, R({{"cpu", "2"}, {"memory", "7936952Ki"}, {"pods", "29"}}));
  EXPECT_EQ(node.status.allocatable,
            R({{"cpu", "1930m"}, {"memory", "7246776Ki"}, {"pods", "29"}}));
  EXPECT_EQ(node.status.conditions,
            (std::vector<NodeCondition>{{"Ready", "True", "KubeletReady",
                                         "kubelet is posting ready status", 1716804600,
                                         1716804060}}));
  EXPECT_EQ(node.status.node_info, (NodeSystemInfo{"arm64", "linux"}));
}

TEST(NodeCodec, RoundTripKeepsTheInputExactly) {
  const Json input = Yaml(kNode);
  FieldErrors errors;
  EXPECT_EQ(EncodeNode(DecodeNode(input, errors)).dump(2), input.dump(2));
}

TEST(NodeCodec, EncodesChangesOverTheRaw) {
  FieldErrors errors;
  Node node = DecodeNode(Yaml(kNode), errors);
  node.spec.taints.erase(node.spec.taints.begin());  // Karpenter un-taints the node
  node.spec.unschedulable = false;
  node.status.allocatable.Set("pods", core::Quantity::FromInt(110));
  Json out = EncodeNode(node);
  // The remaining taint was written over the first element, so timeAdded did not follow it;
  // that is the index-based merge FieldWriter::ObjectList documents.
  EXPECT_EQ(out["spec"], Json::parse(R"({"providerID":"aws:///us-west-2a/i-0123456789abcdef0",
      "taints":[{"key":"dedicated","effect":"NoExecute","value":"gpu"}]})"));
  EXPECT_EQ(out["status"]["allocatable"],
            Json::parse(R"({"cpu":"1930m","memory":"7246776Ki","pods":"110"})"));
  EXPECT_EQ(out["status"]["addresses"][0]["address"], "192.168.1.10");
}

TEST(NodeCodec, EncodesDefaultNodeMinimally) {
  EXPECT_EQ(EncodeNode(Node{}), Json::parse(R"({"apiVersion":"v1","kind":"Node","metadata":{}})"));
}

TEST(NodeCodec, InvalidTaintsAndWrongTypes) {
  FieldErrors errors;
  Node node = DecodeNode(Yaml(R"(apiVersion: v1
kind: Node
metadata: {name: n}
spec:
  providerID: 7
  taints:
    - {key: a}
    - {key: a, effect: Sometimes}
    - {effect: NoSchedule}
    - {key: b, value: x, effect: NoSchedule}
    - {key: b, value: y, effect: NoSchedule}
    - {key: b, effect: NoExecute}
status:
  allocatable: {cpu: many, memory: 1Gi}
  nodeInfo: linux
)"),
                         errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/spec/providerID: must be a string, not integer",
                "/spec/taints/0/effect: Required value",
                "/spec/taints/1/effect: Unsupported value: \"Sometimes\": supported values: "
                "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                "/spec/taints/2/key: Invalid value: \"\": name part must be non-empty",
                "/spec/taints/4: Duplicate value: \"b:NoSchedule\": taints must be unique by key "
                "and effect pair",
                "/status/allocatable/cpu: invalid quantity \"many\": " +
                    core::Quantity::Parse("many").error().message,
                "/status/nodeInfo: must be an object, not string",
            }));
  EXPECT_EQ(node.spec.taints.size(), 6u);
  EXPECT_EQ(node.status.allocatable, R({{"memory", "1Gi"}}));
}

TEST(NamespaceCodec, DecodesAndRoundTrips) {
  const Json input = Yaml(R"(apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    kubernetes.io/metadata.name: team-a
    tier: gold
spec:
  finalizers: [kubernetes]
status:
  phase: Active
)");
  FieldErrors errors;
  Namespace ns = DecodeNamespace(input, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(ns.metadata.name, "team-a");
  EXPECT_EQ(ns.metadata.labels,
            (Labels{{"kubernetes.io/metadata.name", "team-a"}, {"tier", "gold"}}));
  EXPECT_EQ(EncodeNamespace(ns).dump(), input.dump());
  EXPECT_EQ(EncodeNamespace(Namespace{}),
            Json::parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{}})"));
}

}  // namespace
}  // namespace karpenter::api
