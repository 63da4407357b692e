// Tests of api/convert.h for the v1alpha5 Provisioner and v1alpha1 AWSNodeTemplate, the
// mappings of upstream's karpenter-convert followed by the v1beta1 -> v1 conversion.
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

// Upstream's karpenter-convert test Provisioner: every template field, kubelet moved onto the
// AWSNodeTemplate that is part of the same input.
TEST(ConvertToV1, ProvisionerEveryFieldWithKubeletMovedToNodeClass) {
  const std::vector<Json> input = {
      J(R"({"apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner",
            "metadata": {"name": "default", "labels": {"team": "a"},
                         "annotations": {"note": "x"}, "finalizers": ["f"],
                         "uid": "1234", "resourceVersion": "7", "generation": 3,
                         "creationTimestamp": "2023-01-01T00:00:00Z", "managedFields": [],
                         "ownerReferences": [{"name": "o"}]},
            "spec": {"providerRef": {"name": "default"},
                     "taints": [{"key": "example.com/special-taint", "effect": "NoSchedule"}],
                     "startupTaints": [{"key": "example.com/another-taint", "effect": "NoSchedule"}],
                     "labels": {"billing-team": "my-team"},
                     "annotations": {"example.com/owner": "my-team"},
                     "requirements": [
                       {"key": "karpenter.k8s.aws/instance-category", "operator": "In", "values": ["c"]},
                       {"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64", "amd64"]},
                       {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot"]}],
                     "kubeletConfiguration": {"clusterDNS": ["10.0.1.100"],
                                              "containerRuntime": "containerd",
                                              "maxPods": 20,
                                              "evictionSoftGracePeriod": {"memory.available": "1m"}},
                     "limits": {"resources": {"cpu": "1000", "memory": "1000Gi"}},
                     "consolidation": {"enabled": false},
                     "ttlSecondsUntilExpired": 2592000,
                     "ttlSecondsAfterEmpty": 30,
                     "weight": 10},
            "status": {"resources": {"cpu": "4"}}})"),
      J(R"({"apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate",
            "metadata": {"name": "default"},
            "spec": {"subnetSelector": {"k": "v"}, "securityGroupSelector": {"k": "v"},
                     "metadataOptions": {"httpTokens": "required"}}})")};
  const ConversionResult result = ConvertToV1(input);
  EXPECT_THAT(result.errors, IsEmpty());
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_JSON_EQ(result.objects[0], J(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool",
    "metadata": {"name": "default", "labels": {"team": "a"}, "annotations": {"note": "x"},
                 "finalizers": ["f"]},
    "spec": {
      "template": {
        "metadata": {"labels": {"billing-team": "my-team"},
                     "annotations": {"example.com/owner": "my-team"}},
        "spec": {
          "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
          "taints": [{"key": "example.com/special-taint", "effect": "NoSchedule"}],
          "startupTaints": [{"key": "example.com/another-taint", "effect": "NoSchedule"}],
          "expireAfter": "720h0m0s",
          "requirements": [
            {"key": "karpenter.k8s.aws/instance-category", "operator": "In", "values": ["c"]},
            {"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64", "amd64"]},
            {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot"]},
            {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]}},
      "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "30s"},
      "limits": {"cpu": "1000", "memory": "1000Gi"},
      "weight": 10}})"));
  EXPECT_JSON_EQ(result.objects[1], J(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "default"},
    "spec": {
      "subnetSelectorTerms": [{"tags": {"k": "v"}}],
      "securityGroupSelectorTerms": [{"tags": {"k": "v"}}],
      "role": "$KARPENTER_NODE_ROLE",
      "amiSelectorTerms": [{"alias": "al2@latest"}],
      "metadataOptions": {"httpTokens": "required"},
      "kubelet": {"clusterDNS": ["10.0.1.100"], "maxPods": 20,
                  "evictionSoftGracePeriod": {"memory.available": "1m"}}}})"));
  EXPECT_THAT(Places(result.notes),
              ElementsAre("0 /metadata/ownerReferences", "0 /spec/requirements",
                          "0 /spec/kubeletConfiguration/containerRuntime", "1 /spec/role",
                          "1 /spec/amiFamily", "0 /spec/kubeletConfiguration"));
  EXPECT_THAT(MessageAt(result.notes, "/spec/kubeletConfiguration"),
              HasSubstr("moved to EC2NodeClass \"default\" spec.kubelet"));
}

TEST(ConvertToV1, ConsolidationEnabledBecomesWhenEmptyOrUnderutilized) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner", "metadata": {"name": "p"},
    "spec": {"providerRef": {"name": "nc"}, "consolidation": {"enabled": true},
             "ttlSecondsUntilExpired": 90,
             "requirements": [{"key": "node.kubernetes.io/instance-type", "operator": "In",
                               "values": ["m5.large"]},
                              {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]},
                              {"key": "beta.kubernetes.io/arch", "operator": "In", "values": ["arm64"]},
                              {"key": "karpenter.sh/capacity-type", "operator": "In",
                               "values": ["on-demand"]}]}})")});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_THAT(result.notes, IsEmpty());  // nothing defaulted, nothing dropped
  EXPECT_JSON_EQ(
      result.objects[0]["spec"]["disruption"],
      J(R"({"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "0s"})"));
  EXPECT_EQ(result.objects[0]["spec"]["template"]["spec"]["expireAfter"], "1m30s");
  EXPECT_EQ(result.objects[0]["spec"]["template"]["spec"]["requirements"].size(), 4u);
}

TEST(ConvertToV1, ConsolidationWinsOverTtlSecondsAfterEmpty) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner", "metadata": {"name": "p"},
    "spec": {"providerRef": {"name": "nc"}, "consolidation": {"enabled": true},
             "ttlSecondsAfterEmpty": 30, "ttlSecondsUntilExpired": 3600}})")});
  EXPECT_JSON_EQ(
      result.objects[0]["spec"]["disruption"],
      J(R"({"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "0s"})"));
  EXPECT_EQ(result.objects[0]["spec"]["template"]["spec"]["expireAfter"], "1h0m0s");
  EXPECT_THAT(Places(result.notes),
              ElementsAre("0 /spec/requirements", "0 /spec/ttlSecondsAfterEmpty"));
}

// Neither emptiness TTL nor consolidation: the Provisioner never removed nodes for being
// empty or underutilized, and the NodePool keeps it that way.
TEST(ConvertToV1, NoDeprovisioningKeptAsConsolidateAfterNever) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner", "metadata": {"name": "p"},
    "spec": {"providerRef": {"name": "nc"}, "ttlSecondsUntilExpired": 0}})")},
                                              ConversionOptions{.apply_v1alpha5_defaults = false});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_JSON_EQ(result.objects[0], J(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "p"},
    "spec": {
      "template": {"spec": {
        "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "nc"},
        "expireAfter": "0s", "requirements": []}},
      "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "Never"}}})"));
  EXPECT_THAT(Places(result.notes), ElementsAre("0 /spec"));
  EXPECT_THAT(result.notes[0].message, HasSubstr("consolidateAfter Never"));
}

// As karpenter-convert, an inline provider becomes an EC2NodeClass named after the Provisioner.
TEST(ConvertToV1, InlineProviderBecomesNodeClassNamedAfterProvisioner) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner", "metadata": {"name": "gpu"},
    "spec": {"provider": {"apiVersion": "extensions.karpenter.sh/v1alpha1", "kind": "AWS",
                          "instanceProfile": "KarpenterNodeInstanceProfile",
                          "subnetSelector": {"karpenter.sh/discovery": "c"},
                          "securityGroupSelector": {"kubernetes.io/cluster/c": "owned"},
                          "tags": {"team": "ml"}},
             "kubeletConfiguration": {"maxPods": 110},
             "ttlSecondsAfterEmpty": 60, "ttlSecondsUntilExpired": 604800}})")},
                                              ConversionOptions{.apply_v1alpha5_defaults = false});
  EXPECT_THAT(result.errors, IsEmpty());
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_THAT(result.source_indices, ElementsAre(0u, 0u));
  EXPECT_JSON_EQ(result.objects[0]["spec"]["template"]["spec"]["nodeClassRef"],
                 J(R"({"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "gpu"})"));
  EXPECT_EQ(result.objects[0]["spec"]["template"]["spec"]["expireAfter"], "168h0m0s");
  EXPECT_JSON_EQ(result.objects[0]["spec"]["disruption"],
                 J(R"({"consolidationPolicy": "WhenEmpty", "consolidateAfter": "1m0s"})"));
  EXPECT_JSON_EQ(result.objects[1], J(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "gpu"},
    "spec": {
      "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "c"}}],
      "securityGroupSelectorTerms": [{"tags": {"kubernetes.io/cluster/c": "owned"}}],
      "role": "$KARPENTER_NODE_ROLE",
      "amiSelectorTerms": [{"alias": "al2@latest"}],
      "tags": {"team": "ml"},
      "kubelet": {"maxPods": 110}}})"));
  EXPECT_THAT(Places(result.notes),
              ElementsAre("0 /spec/provider/role", "0 /spec/provider/instanceProfile",
                          "0 /spec/provider/amiFamily", "0 /spec/provider/metadataOptions",
                          "0 /spec/provider", "0 /spec/kubeletConfiguration"));
  EXPECT_THAT(MessageAt(result.notes, "/spec/provider/instanceProfile"),
              HasSubstr("replace role with instanceProfile"));
}

TEST(ConvertToV1, ProvisionerWithoutProviderIsAnError) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.sh/v1alpha5", "kind": "Provisioner", "metadata": {"name": "p"},
    "spec": {"ttlSecondsAfterEmpty": -5, "ttlSecondsUntilExpired": "1h",
             "kubeletConfiguration": {"maxPods": 5}}})")});
  EXPECT_THAT(Places(result.errors),
              ElementsAre("0 /spec", "0 /spec/ttlSecondsUntilExpired",
                          "0 /spec/ttlSecondsAfterEmpty", "0 /spec/kubeletConfiguration"));
  EXPECT_FALSE(result.objects[0]["spec"]["template"]["spec"].contains("nodeClassRef"));
}

TEST(ConvertToV1, NodeTemplateSelectorsWithIdsAndAmiCrossProduct) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate",
    "metadata": {"name": "ids"},
    "spec": {"subnetSelector": {"aws-ids": "subnet-1, subnet-2", "Name": "private"},
             "securityGroupSelector": {"aws::ids": "sg-1", "any": ""},
             "amiSelector": {"aws::name": "my-ami-*", "aws::owners": "self,123456789012",
                             "team": "a"},
             "amiFamily": "Bottlerocket",
             "metadataOptions": {"httpPutResponseHopLimit": 2}}})")});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_JSON_EQ(result.objects[0]["spec"], J(R"({
    "subnetSelectorTerms": [{"id": "subnet-1"}, {"id": "subnet-2"}],
    "securityGroupSelectorTerms": [{"id": "sg-1"}],
    "role": "$KARPENTER_NODE_ROLE",
    "amiFamily": "Bottlerocket",
    "amiSelectorTerms": [{"tags": {"team": "a"}, "name": "my-ami-*", "owner": "self"},
                         {"tags": {"team": "a"}, "name": "my-ami-*", "owner": "123456789012"}],
    "metadataOptions": {"httpPutResponseHopLimit": 2}})"));
  EXPECT_THAT(Places(result.notes),
              ElementsAre("0 /spec/subnetSelector", "0 /spec/securityGroupSelector/any",
                          "0 /spec/securityGroupSelector", "0 /spec/role"));
}

TEST(ConvertToV1, NodeTemplateAmiIdsAndEmptyTagValue) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate", "metadata": {"name": "x"},
    "spec": {"subnetSelector": {"karpenter.sh/discovery": ""}, "securityGroupSelector": {"a": "b"},
             "amiSelector": {"aws-ids": "ami-1,ami-2", "aws::name": "ignored"},
             "metadataOptions": {}}})")});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_JSON_EQ(result.objects[0]["spec"], J(R"({
    "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "*"}}],
    "securityGroupSelectorTerms": [{"tags": {"a": "b"}}],
    "role": "$KARPENTER_NODE_ROLE",
    "amiFamily": "AL2",
    "amiSelectorTerms": [{"id": "ami-1"}, {"id": "ami-2"}],
    "metadataOptions": {}})"));
  EXPECT_THAT(Places(result.notes),
              ElementsAre("0 /spec/subnetSelector/karpenter.sh~1discovery", "0 /spec/role",
                          "0 /spec/amiSelector", "0 /spec/amiFamily"));
}

TEST(ConvertToV1, LaunchTemplateIsAnError) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate", "metadata": {"name": "lt"},
    "spec": {"launchTemplate": "my-template", "subnetSelector": {"a": "b"}, "metadataOptions": {}}})")});
  EXPECT_THAT(Places(result.errors),
              ElementsAre("0 /spec/launchTemplate", "0 /spec/securityGroupSelector"));
  EXPECT_THAT(result.errors[0].message, HasSubstr("no custom launch templates"));
  EXPECT_FALSE(result.objects[0]["spec"].contains("launchTemplate"));
}

TEST(ConvertToV1, NodeTemplateCopiesLaunchSettingsAndCarriesUnknownFields) {
  const ConversionResult result = ConvertToV1({J(R"({
    "apiVersion": "karpenter.k8s.aws/v1alpha1", "kind": "AWSNodeTemplate",
    "metadata": {"name": "full", "annotations": {"a": "b"}},
    "spec": {"subnetSelector": {"a": "b"}, "securityGroupSelector": {"a": "b"},
             "amiFamily": "AL2",
             "userData": "#!/bin/bash\necho hi",
             "tags": {"team": "a"},
             "metadataOptions": {"httpEndpoint": "enabled", "httpPutResponseHopLimit": 2},
             "blockDeviceMappings": [{"deviceName": "/dev/xvda", "virtualName": "ephemeral0",
                                      "ebs": {"volumeSize": "100Gi", "volumeType": "gp3"}}],
             "detailedMonitoring": true,
             "associatePublicIpAddress": false,
             "context": "ctx",
             "futureField": 1},
    "status": {"subnets": []}})")});
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_JSON_EQ(result.objects[0], J(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass",
    "metadata": {"name": "full", "annotations": {"a": "b"}},
    "spec": {
      "subnetSelectorTerms": [{"tags": {"a": "b"}}],
      "securityGroupSelectorTerms": [{"tags": {"a": "b"}}],
      "role": "$KARPENTER_NODE_ROLE",
      "amiSelectorTerms": [{"alias": "al2@latest"}],
      "userData": "#!/bin/bash\necho hi",
      "tags": {"team": "a"},
      "metadataOptions": {"httpEndpoint": "enabled", "httpPutResponseHopLimit": 2},
      "blockDeviceMappings": [{"deviceName": "/dev/xvda",
                               "ebs": {"volumeSize": "100Gi", "volumeType": "gp3"}}],
      "detailedMonitoring": true,
      "associatePublicIPAddress": false,
      "context": "ctx",
      "futureField": 1}})"));
  EXPECT_THAT(Places(result.notes),
              ElementsAre("0 /spec/role", "0 /spec/amiFamily",
                          "0 /spec/blockDeviceMappings/0/virtualName", "0 /spec/futureField"));
}

}  // namespace
}  // namespace karpenter::api
