// Tests of api/convert.h for v1beta1 NodePools and EC2NodeClasses (upstream's conversion
// webhooks) and the AMI family rules shared with v1alpha1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/convert.h"
#include "convert_test_util.h"

namespace karpenter::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing_util::J;
using testing_util::MessageAt;
using testing_util::Places;

TEST(ConvertToV1, AliasForEachWellKnownFamily) {
  for (const auto& [family, alias] :
       std::vector<std::pair<std::string, std::string>>{{"AL2", "al2@latest"},
                                                        {"AL2023", "al2023@latest"},
                                                        {"Bottlerocket", "bottlerocket@latest"},
                                                        {"Windows2019", "windows2019@latest"},
                                                        {"Windows2022", "windows2022@latest"}}) {
    Json node_template = J(R"({"apiVersion": "karpenter.k8s.aws/v1alpha1",
                               "kind": "AWSNodeTemplate", "metadata": {"name": "t"},
                               "spec": {"subnetSelector": {"a": "b"},
                                        "securityGroupSelector": {"a": "b"}}})");
    node_template["spec"]["amiFamily"] = family;
    Json node_class = J(R"({"apiVersion": "karpenter.k8s.aws/v1beta1", "kind": "EC2NodeClass",
                            "metadata": {"name": "c"},
                            "spec": {"role": "r", "subnetSelectorTerms": [{"id": "s"}],
                                     "securityGroupSelectorTerms": [{"id": "g"}]}})");
    node_class["spec"]["amiFamily"] = family;
    const ConversionResult result = ConvertToV1({node_template, node_class});
    EXPECT_THAT(result.errors, IsEmpty()) << family;
    for (const Json& object : result.objects) {
      EXPECT_FALSE(object["spec"].contains("amiFamily")) << family;
      EXPECT_JSON_EQ(object["spec"]["amiSelectorTerms"], Json::array({Json{{"alias", alias}}}));
    }
  }
}

TEST(ConvertToV1, UbuntuBecomesAl2WithItsRootVolumeAndNeedsAmiTerms) {
  const ConversionResult result =
      ConvertToV1({J(R"({"apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate",
            "metadata": {"name": "u"},
            "spec": {"amiFamily": "Ubuntu", "subnetSelector": {"a": "b"},
                     "securityGroupSelector": {"a": "b"}, "metadataOptions": {}}})"),
                   J(R"({"apiVersion": "karpenter.k8s.aws/v1beta1", "kind": "EC2NodeClass",
            "metadata": {"name": "u2"},
            "spec": {"amiFamily": "Ubuntu", "role": "r", "amiSelectorTerms": [{"id": "ami-u"}],
                     "subnetSelectorTerms": [{"id": "s"}], "securityGroupSelectorTerms": [{"id": "g"}],
                     "blockDeviceMappings": [{"deviceName": "/dev/xvda"}],
                     "metadataOptions": {}}})")});
  EXPECT_THAT(Places(result.errors), ElementsAre("0 /spec/amiSelector"));
  EXPECT_THAT(result.errors[0].message, HasSubstr("Ubuntu has no v1 alias"));
  EXPECT_JSON_EQ(result.objects[0]["spec"], J(R"({
    "subnetSelectorTerms": [{"tags": {"a": "b"}}],
    "securityGroupSelectorTerms": [{"tags": {"a": "b"}}],
    "role": "$KARPENTER_NODE_ROLE",
    "amiFamily": "AL2",
    "metadataOptions": {},
    "blockDeviceMappings": [{"deviceName": "/dev/sda1", "rootVolume": true,
                             "ebs": {"encrypted": true, "volumeType": "gp3", "volumeSize": "20Gi"}}]})"));
  EXPECT_JSON_EQ(result.objects[1]["spec"], J(R"({
    "amiFamily": "AL2", "role": "r", "amiSelectorTerms": [{"id": "ami-u"}],
    "subnetSelectorTerms": [{"id": "s"}], "securityGroupSelectorTerms": [{"id": "g"}],
    "blockDeviceMappings": [{"deviceName": "/dev/xvda"}], "metadataOptions": {}})"));
  EXPECT_THAT(Places(result.notes), ElementsAre("0 /spec/role", "0 /spec/amiFamily",
                                                "0 /spec/amiFamily", "1 /spec/amiFamily"));
}

TEST(ConvertToV1, CustomFamilyWithoutAmiTermsIsAnError) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.k8s.aws/v1beta1", "kind": "EC2NodeClass", "metadata": {"name": "c"},
    "spec": {"amiFamily": "Custom", "instanceProfile": "p", "subnetSelectorTerms": [{"id": "s"}],
             "securityGroupSelectorTerms": [{"id": "g"}], "metadataOptions": {}}})")});
  EXPECT_THAT(Places(result.errors), ElementsAre("0 /spec/amiSelectorTerms"));
  EXPECT_THAT(Places(result.notes), ElementsAre("0 /spec/amiFamily"));
  EXPECT_THAT(result.notes[0].message, HasSubstr("karpenter.sh/unregistered:NoExecute"));
  EXPECT_EQ(result.objects[0]["spec"]["amiFamily"], "Custom");
}

TEST(ConvertToV1, V1beta1NodePoolEveryMapping) {
  const std::vector<Json> input = {
      J(R"({"apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool",
            "metadata": {"name": "np", "resourceVersion": "1",
                         "annotations": {"compatibility.karpenter.sh/v1beta1-kubelet-conversion": "{}"}},
            "spec": {
              "template": {"metadata": {"labels": {"a": "b"}},
                           "spec": {"nodeClassRef": {"apiVersion": "karpenter.k8s.aws/v1beta1",
                                                     "kind": "EC2NodeClass", "name": "nc"},
                                    "requirements": [{"key": "karpenter.k8s.aws/instance-family",
                                                      "operator": "In", "values": ["m5", "c5"],
                                                      "minValues": 2}],
                                    "kubelet": {"maxPods": 30, "containerRuntime": "containerd"},
                                    "resources": {"requests": {"cpu": "1"}}}},
              "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "30s",
                             "expireAfter": "720h",
                             "budgets": [{"nodes": "10%"}, {"nodes": "0", "schedule": "@daily",
                                                             "duration": "10m"}]},
              "limits": {"cpu": "100"},
              "weight": 5},
            "status": {"resources": {}}})"),
      J(R"({"apiVersion": "karpenter.k8s.aws/v1beta1", "kind": "EC2NodeClass",
            "metadata": {"name": "nc"},
            "spec": {"amiFamily": "AL2023", "amiSelectorTerms": [{"tags": {"t": "v"}}],
                     "role": "r", "subnetSelectorTerms": [{"tags": {"a": "b"}}],
                     "securityGroupSelectorTerms": [{"name": "sg"}],
                     "instanceStorePolicy": "RAID0", "userData": "x"}})")};
  const ConversionResult result = ConvertToV1(input);
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_JSON_EQ(result.objects[0], J(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "np"},
    "spec": {
      "template": {"metadata": {"labels": {"a": "b"}},
                   "spec": {"nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass",
                                             "name": "nc"},
                            "requirements": [{"key": "karpenter.k8s.aws/instance-family",
                                              "operator": "In", "values": ["m5", "c5"],
                                              "minValues": 2}],
                            "expireAfter": "720h"}},
      "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "30s",
                     "budgets": [{"nodes": "10%"}, {"nodes": "0", "schedule": "@daily",
                                                     "duration": "10m"}]},
      "limits": {"cpu": "100"},
      "weight": 5}})"));
  EXPECT_JSON_EQ(result.objects[1], J(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "nc"},
    "spec": {"amiFamily": "AL2023", "amiSelectorTerms": [{"tags": {"t": "v"}}],
             "role": "r", "subnetSelectorTerms": [{"tags": {"a": "b"}}],
             "securityGroupSelectorTerms": [{"name": "sg"}],
             "instanceStorePolicy": "RAID0", "userData": "x",
             "kubelet": {"maxPods": 30}}})"));
  EXPECT_THAT(
      Places(result.notes),
      ElementsAre("0 /metadata/annotations/compatibility.karpenter.sh~1v1beta1-kubelet-conversion",
                  "0 /spec/template/spec/kubelet/containerRuntime",
                  "0 /spec/template/spec/resources", "1 /spec/metadataOptions",
                  "0 /spec/template/spec/kubelet"));
  EXPECT_THAT(MessageAt(result.notes, "/spec/template/spec/kubelet"),
              HasSubstr("compatibility.karpenter.sh/v1beta1-kubelet-conversion"));
}

TEST(ConvertToV1, V1beta1NodePoolWithoutDisruptionKeepsV1Defaults) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool", "metadata": {"name": "np"},
    "spec": {"template": {"spec": {"nodeClassRef": {"name": "nc"}, "requirements": []}}}})")});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_THAT(result.notes, IsEmpty());
  EXPECT_JSON_EQ(result.objects[0]["spec"], J(R"({"template": {"spec": {
    "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "nc"},
    "requirements": []}}})"));
}

TEST(ConvertToV1, V1beta1DisruptionEdgeCases) {
  const ConversionResult result = ConvertToV1(
      {J(R"({"apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool", "metadata": {"name": "a"},
            "spec": {"disruption": {"consolidateAfter": "5m"},
                     "template": {"spec": {"nodeClassRef": {"name": "nc"}, "requirements": []}}}})"),
       J(R"({"apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool", "metadata": {"name": "b"},
            "spec": {"disruption": {"consolidationPolicy": "WhenEmpty"},
                     "template": {"spec": {"nodeClassRef": {"name": "nc"}, "requirements": []}}}})"),
       J(R"({"apiVersion": "karpenter.sh/v1beta1", "kind": "NodePool", "metadata": {"name": "c"},
            "spec": {"disruption": {"consolidationPolicy": "Sometimes"},
                     "template": {"spec": {"requirements": []}}}})")});
  EXPECT_JSON_EQ(
      result.objects[0]["spec"]["disruption"],
      J(R"({"consolidateAfter": "0s", "consolidationPolicy": "WhenEmptyOrUnderutilized"})"));
  EXPECT_JSON_EQ(result.objects[1]["spec"]["disruption"],
                 J(R"({"consolidationPolicy": "WhenEmpty", "consolidateAfter": "Never"})"));
  EXPECT_THAT(Places(result.notes), ElementsAre("0 /spec/disruption/consolidationPolicy",
                                                "0 /spec/disruption/consolidateAfter",
                                                "1 /spec/disruption/consolidateAfter"));
  EXPECT_THAT(Places(result.errors), ElementsAre("2 /spec/disruption/consolidationPolicy",
                                                 "2 /spec/template/spec/nodeClassRef"));
}

TEST(ConvertToV1, V1beta1NodeClassNeedsExactlyOneIdentity) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.k8s.aws/v1beta1", "kind": "EC2NodeClass", "metadata": {"name": "c"},
    "spec": {"amiFamily": "AL2", "subnetSelectorTerms": [{"id": "s"}],
             "securityGroupSelectorTerms": [{"id": "g"}], "metadataOptions": {}}})")});
  EXPECT_THAT(Places(result.errors), ElementsAre("0 /spec/role"));
}

}  // namespace
}  // namespace karpenter::api
