#include "api/kube_validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/codec/priority_class_codec.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using karpenter_codec_testing::Describe;
using karpenter_codec_testing::Yaml;

std::vector<std::string> Validate(std::string_view yaml) {
  return Describe(ValidateKubernetesObject(Yaml(yaml)));
}

TEST(KubeValidation, ValidObjectsOfEveryKind) {
  for (std::string_view yaml : {
           "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n",
           "apiVersion: v1\nkind: Node\nmetadata: {name: n}\n",
           "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n",
           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
           "  selector: {matchLabels: {a: b}}\n"
           "  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}\n",
           "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r}\nspec:\n"
           "  selector: {matchLabels: {a: b}}\n"
           "  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}\n",
           "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n"
           "  selector: {matchLabels: {a: b}}\n"
           "  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}\n",
           "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n"
           "  selector: {matchLabels: {a: b}}\n"
           "  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}\n",
           "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\n"
           "spec: {minAvailable: 1}\n",
           "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: pc}\n"
           "value: 1000\n",
       }) {
    EXPECT_EQ(Validate(yaml), std::vector<std::string>{}) << yaml;
  }
}

TEST(KubeValidation, DispatchesOnApiVersionAndKind) {
  EXPECT_EQ(Validate("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                     "spec: {containers: [{name: c}], tolerations: [{key: k, operator: Exists, "
                     "value: v}]}\n"),
            (std::vector<std::string>{"/spec/tolerations/0/operator: Invalid value: \"Exists\": "
                                      "value must be empty when `operator` is 'Exists'"}));
  EXPECT_EQ(Validate("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                     "spec: {replicas: -2}\n"),
            (std::vector<std::string>{
                "/spec/replicas: Invalid value: -2: must be greater than or equal to 0",
                "/spec/template/spec/containers: Required value",
                "/spec/selector: Required value"}));
  EXPECT_EQ(Validate("apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: d}\n"),
            (std::vector<std::string>{
                "/kind: not a Kubernetes kind karpenter-cpp reads: apps/v2 Deployment"}));
}

TEST(KubeValidation, NameOrGenerateNameIsRequired) {
  EXPECT_EQ(Validate("apiVersion: v1\nkind: Namespace\nmetadata: {labels: {a: b}}\n"),
            (std::vector<std::string>{
                "/metadata/name: Required value: name or generateName is required"}));
  EXPECT_EQ(Validate("apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\n"
                     "spec: {containers: [{name: c}]}\n"),
            std::vector<std::string>{});
}

TEST(PriorityClassCodec, DecodesValidatesAndRoundTrips) {
  const Json input = Yaml(R"(apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high
value: 1000000
globalDefault: false
preemptionPolicy: Never
description: Batch jobs that may wait.
)");
  FieldErrors errors;
  PriorityClass priority = codec::DecodePriorityClass(input, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(priority.value, 1000000);
  EXPECT_FALSE(priority.global_default);
  EXPECT_EQ(priority.preemption_policy, PreemptionPolicy::kNever);
  EXPECT_EQ(priority.description, "Batch jobs that may wait.");
  EXPECT_EQ(codec::EncodePriorityClass(priority).dump(), input.dump());
  EXPECT_EQ(codec::EncodePriorityClass(PriorityClass{}),
            Json::parse(R"({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass",
                            "metadata":{},"value":0})"));

  EXPECT_EQ(Validate("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n"
                     "metadata: {name: too-high}\nvalue: 1000000001\npreemptionPolicy: \"\"\n"),
            (std::vector<std::string>{
                "/value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
                "/preemptionPolicy: Required value"}));
  EXPECT_EQ(Validate("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n"
                     "metadata: {name: system-node-critical}\nvalue: 2000001000\n"),
            std::vector<std::string>{});
}

}  // namespace
}  // namespace karpenter::api
