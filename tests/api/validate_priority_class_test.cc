// `karpenter validate` across documents: pods and pod templates naming a PriorityClass the
// input does not define get a warning (the API server would refuse their pods).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/validate.h"
#include "api/yaml_reader.h"

namespace karpenter::api {
namespace {

std::vector<std::string> Validate(std::string_view yaml) {
  ReadResult read = ReadYamlDocuments(yaml, "in.yaml");
  EXPECT_TRUE(read.errors.empty());
  std::vector<std::string> out;
  for (const Diagnostic& d : ValidateDocuments(read.documents)) out.push_back(d.ToString());
  return out;
}

constexpr std::string_view kWorkloads = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      priorityClassName: high
      containers: [{name: c, image: pause}]
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: default}
spec:
  priorityClassName: system-node-critical
  containers: [{name: c, image: pause}]
---
apiVersion: v1
kind: Pod
metadata: {name: pause, namespace: default}
spec:
  priorityClassName: low
  containers: [{name: c, image: pause}]
)";

TEST(ValidatePriorityClass, WarnsAboutClassesTheInputDoesNotDefineWherever) {
  EXPECT_EQ(
      Validate(kWorkloads),
      (std::vector<std::string>{
          "in.yaml:10:7: warning: Deployment/default/app: spec.template.spec.priorityClassName: "
          "PriorityClass \"high\" is not defined in the input: the API server refuses to "
          "create pods naming it unless the cluster has it",
          "in.yaml:24:3: warning: Pod/default/pause: spec.priorityClassName: PriorityClass "
          "\"low\" is not defined in the input: the API server refuses to create pods naming it "
          "unless the cluster has it"}));
}

TEST(ValidatePriorityClass, AClassDefinedAnywhereInTheInputIsFound) {
  const std::string defined = std::string(kWorkloads).append(R"(---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low}
value: -1
)");
  EXPECT_EQ(Validate(defined), std::vector<std::string>{});
}

}  // namespace
}  // namespace karpenter::api
