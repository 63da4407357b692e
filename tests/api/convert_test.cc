// Tests of api/convert.h: the seed manifests, cross-object kubelet moves, pass-through and
// the shared helpers.
#include "api/convert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/convert/common.h"
#include "convert_test_util.h"

namespace karpenter::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing_util::J;
using testing_util::MessageAt;
using testing_util::Places;

// The v1alpha5 manifests of seed 003 (the getting-started Provisioner and AWSNodeTemplate).
TEST(ConvertToV1, Seed003ProvisionerAndNodeTemplate) {
  const std::vector<Json> input = {
      J(R"({"apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner",
            "metadata": {"name": "default"},
            "spec": {"requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                                       "values": ["spot"]}],
                     "limits": {"resources": {"cpu": 1000}},
                     "providerRef": {"name": "default"},
                     "ttlSecondsAfterEmpty": 30}})"),
      J(R"({"apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate",
            "metadata": {"name": "default"},
            "spec": {"subnetSelector": {"karpenter.sh/discovery": "${CLUSTER_NAME}"},
                     "securityGroupSelector": {"karpenter.sh/discovery": "${CLUSTER_NAME}"}}})")};
  const ConversionResult result = ConvertToV1(input);
  EXPECT_THAT(result.errors, IsEmpty());
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_THAT(result.source_indices, ElementsAre(0u, 1u));
  EXPECT_JSON_EQ(result.objects[0], J(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "default"},
    "spec": {
      "template": {"spec": {
        "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
        "expireAfter": "Never",
        "requirements": [
          {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot"]},
          {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]},
          {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]},
          {"key": "karpenter.k8s.aws/instance-category", "operator": "In", "values": ["c", "m", "r"]},
          {"key": "karpenter.k8s.aws/instance-generation", "operator": "Gt", "values": ["2"]}]}},
      "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "30s"},
      "limits": {"cpu": 1000}}})"));
  EXPECT_JSON_EQ(result.objects[1], J(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "default"},
    "spec": {
      "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "${CLUSTER_NAME}"}}],
      "securityGroupSelectorTerms": [{"tags": {"karpenter.sh/discovery": "${CLUSTER_NAME}"}}],
      "role": "$KARPENTER_NODE_ROLE",
      "amiSelectorTerms": [{"alias": "al2@latest"}]}})"));
  EXPECT_THAT(Places(result.notes),
              ElementsAre("0 /spec/ttlSecondsUntilExpired", "0 /spec/requirements", "1 /spec/role",
                          "1 /spec/amiFamily", "1 /spec/metadataOptions"));
  EXPECT_THAT(
      MessageAt(result.notes, "/spec/requirements"),
      HasSubstr("kubernetes.io/os, kubernetes.io/arch, karpenter.k8s.aws/instance-category"));
  EXPECT_THAT(MessageAt(result.notes, "/spec/amiFamily"), HasSubstr("al2@latest"));
}

// The v1beta1 NodePool of seed 001.
TEST(ConvertToV1, Seed001V1beta1NodePool) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool", "metadata": {"name": "default"},
    "spec": {
      "disruption": {"consolidationPolicy": "WhenUnderutilized", "expireAfter": "Never"},
      "template": {"metadata": {}, "spec": {
        "nodeClassRef": {"name": "lyon-cluster"},
        "requirements": [
          {"key": "karpenter.k8s.aws/instance-family", "operator": "In", "values": ["t3", "t3a"]},
          {"key": "topology.kubernetes.io/zone", "operator": "In",
           "values": ["ap-northeast-2a", "ap-northeast-2c"]}],
        "taints": [{"effect": "NoSchedule", "key": "system-type", "value": "default"}]}},
      "weight": 10}})")});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_THAT(result.notes, IsEmpty());
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_JSON_EQ(result.objects[0], J(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "default"},
    "spec": {
      "disruption": {"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "0s"},
      "template": {"metadata": {}, "spec": {
        "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "lyon-cluster"},
        "requirements": [
          {"key": "karpenter.k8s.aws/instance-family", "operator": "In", "values": ["t3", "t3a"]},
          {"key": "topology.kubernetes.io/zone", "operator": "In",
           "values": ["ap-northeast-2a", "ap-northeast-2c"]}],
        "taints": [{"effect": "NoSchedule", "key": "system-type", "value": "default"}],
        "expireAfter": "Never"}},
      "weight": 10}})"));
}

TEST(ConvertToV1, KubeletForNodeClassOutsideInputIsReported) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner", "metadata": {"name": "p"},
    "spec": {"providerRef": {"name": "elsewhere"}, "ttlSecondsAfterEmpty": 30,
             "ttlSecondsUntilExpired": 60, "kubeletConfiguration": {"maxPods": 50}}})")},
                                              ConversionOptions{.apply_v1alpha5_defaults = false});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_THAT(Places(result.notes), ElementsAre("0 /spec/kubeletConfiguration"));
  EXPECT_EQ(result.notes[0].message,
            "EC2NodeClass \"elsewhere\" is not in the input: set its spec.kubelet to "
            "{\"maxPods\":50}");
  EXPECT_FALSE(result.objects[0]["spec"]["template"]["spec"].contains("kubelet"));
}

// Two NodePools share one EC2NodeClass but not their kubelet settings: v1 cannot express it.
TEST(ConvertToV1, ConflictingKubeletOnSharedNodeClassIsAnError) {
  Json a = J(R"({
    "apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner", "metadata": {"name": "a"},
    "spec": {"providerRef": {"name": "shared"}, "ttlSecondsAfterEmpty": 30,
             "ttlSecondsUntilExpired": 60, "kubeletConfiguration": {"maxPods": 10}}})");
  Json b = a;
  b["metadata"]["name"] = "b";
  b["spec"]["kubeletConfiguration"]["maxPods"] = 20;
  const ConversionResult result = ConvertToV1(
      {a, b, J(R"({"apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate",
             "metadata": {"name": "shared"},
             "spec": {"subnetSelector": {"k": "v"}, "securityGroupSelector": {"k": "v"},
                      "metadataOptions": {}}})")},
      ConversionOptions{.apply_v1alpha5_defaults = false});
  EXPECT_THAT(Places(result.errors),
              ElementsAre("0 /spec/kubeletConfiguration", "1 /spec/kubeletConfiguration"));
  EXPECT_THAT(result.errors[0].message, HasSubstr("NodePools a, b share EC2NodeClass \"shared\""));
  EXPECT_FALSE(result.objects[2]["spec"].contains("kubelet"));
}

// An EC2NodeClass that is already v1 is left as it is; a kubelet it lacks is an error to fix.
TEST(ConvertToV1, KubeletForPassedThroughV1NodeClassMustMatch) {
  const Json node_class = J(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "nc"},
    "spec": {"kubelet": {"maxPods": 10}}})");
  const char* nodepool = R"({
    "apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool", "metadata": {"name": "np"},
    "spec": {"template": {"spec": {"nodeClassRef": {"name": "nc"}, "requirements": [],
                                   "kubelet": {"maxPods": 10}}}}})";
  const ConversionResult same = ConvertToV1({node_class, J(nodepool)});
  EXPECT_THAT(same.errors, IsEmpty());
  EXPECT_THAT(same.notes, IsEmpty());
  EXPECT_JSON_EQ(same.objects[0], node_class);

  Json differing = J(nodepool);
  differing["spec"]["template"]["spec"]["kubelet"]["maxPods"] = 20;
  const ConversionResult result = ConvertToV1({node_class, differing});
  EXPECT_THAT(Places(result.errors), ElementsAre("1 /spec/template/spec/kubelet"));
  EXPECT_THAT(result.errors[0].message, HasSubstr("already v1 and was left unchanged"));
  EXPECT_JSON_EQ(result.objects[0], node_class);
}

// A v1 NodePool without kubelet that shares the EC2NodeClass also blocks the move.
TEST(ConvertToV1, V1NodePoolWithoutKubeletConflictsWithConvertedKubelet) {
  const ConversionResult result = ConvertToV1(
      {J(R"({"apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool", "metadata": {"name": "old"},
            "spec": {"template": {"spec": {"nodeClassRef": {"name": "nc"}, "requirements": [],
                                           "kubelet": {"maxPods": 10}}}}})"),
       J(R"({"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "new"},
            "spec": {"template": {"spec": {"nodeClassRef": {"group": "karpenter.k8s.aws",
                                                            "kind": "EC2NodeClass", "name": "nc"},
                                           "requirements": []}}}})")});
  EXPECT_THAT(Places(result.errors), ElementsAre("0 /spec/template/spec/kubelet"));
  EXPECT_THAT(result.errors[0].message, HasSubstr("NodePools old, new share"));
}

TEST(ConvertToV1, OtherObjectsPassThroughUnchanged) {
  const std::vector<Json> input = {
      J(R"({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "inflate", "uid": "kept"}, "spec": {"replicas": 0},
            "status": {"replicas": 0}})"),
      J(R"({"apiVersion": "karpenter.sh/v1", "kind": "NodePool",
            "metadata": {"name": "v1", "annotations":
                         {"compatibility.karpenter.sh/v1beta1-kubelet-conversion": "{}"}},
            "spec": {"template": {"spec": {"requirements": []}}}})"),
      J(R"({"apiVersion": "karpenter.sh/v1beta1", "kind": "NodeClaim", "metadata": {"name": "nc"}})"),
      J(R"([1, 2])")};
  const ConversionResult result = ConvertToV1(input);
  ASSERT_EQ(result.objects.size(), 4u);
  for (std::size_t i = 0; i < input.size(); ++i) EXPECT_JSON_EQ(result.objects[i], input[i]);
  EXPECT_THAT(result.source_indices, ElementsAre(0u, 1u, 2u, 3u));
  EXPECT_THAT(
      Places(result.notes),
      ElementsAre("1 /metadata/annotations/compatibility.karpenter.sh~1v1beta1-kubelet-conversion",
                  "2 "));
  EXPECT_THAT(Places(result.errors), ElementsAre("3 "));
}

TEST(ConvertToV1, DuplicateOutputNamesAreAnError) {
  const ConversionResult result =
      ConvertToV1({J(R"({"apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate",
             "metadata": {"name": "dup"},
             "spec": {"subnetSelector": {"a": "b"}, "securityGroupSelector": {"a": "b"},
                      "metadataOptions": {}}})"),
                   J(R"({"apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner",
             "metadata": {"name": "dup"},
             "spec": {"ttlSecondsAfterEmpty": 1, "ttlSecondsUntilExpired": 1,
                      "provider": {"subnetSelector": {"a": "b"}, "securityGroupSelector": {"a": "b"},
                                   "metadataOptions": {}}}})")},
                  ConversionOptions{.apply_v1alpha5_defaults = false});
  ASSERT_EQ(result.objects.size(), 3u);
  EXPECT_THAT(Places(result.errors), ElementsAre("1 /metadata/name"));
  EXPECT_THAT(result.errors[0].message, HasSubstr("EC2NodeClass/dup"));
}

TEST(ConvertCommon, GoDurationFromSeconds) {
  EXPECT_EQ(convert::GoDurationFromSeconds(0), "0s");
  EXPECT_EQ(convert::GoDurationFromSeconds(59), "59s");
  EXPECT_EQ(convert::GoDurationFromSeconds(60), "1m0s");
  EXPECT_EQ(convert::GoDurationFromSeconds(90), "1m30s");
  EXPECT_EQ(convert::GoDurationFromSeconds(3600), "1h0m0s");
  EXPECT_EQ(convert::GoDurationFromSeconds(3661), "1h1m1s");
  EXPECT_EQ(convert::GoDurationFromSeconds(2592000), "720h0m0s");
}

TEST(ConvertCommon, PointerEscapesTokens) {
  EXPECT_EQ(convert::Pointer("/metadata/labels", "karpenter.sh/nodepool"),
            "/metadata/labels/karpenter.sh~1nodepool");
  EXPECT_EQ(convert::Pointer("", "a~b"), "/a~0b");
  EXPECT_EQ(convert::Pointer("/items", std::size_t{3}), "/items/3");
}

}  // namespace
}  // namespace karpenter::api
