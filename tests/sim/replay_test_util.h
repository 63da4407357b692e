// Helpers for the scenario, driver and replay tests: a two-type custom catalog, a NodePool,
// scenarios written inline, and a manifest reader over in-memory files.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "api/yaml_reader.h"
#include "sim/scenario.h"

namespace karpenter::sim::testing {

// Two made-up types (allocatable = capacity: no overhead): "c.large" 4 cpu ($0.20 on-demand,
// $0.06 spot) and "c.xlarge" 8 cpu ($0.40, $0.12), in zone-a; and NodePool "default" (spot
// and on-demand) on EC2NodeClass "default".
inline const std::string kCatalogAndPool = R"(---
apiVersion: sim.karpenter-cpp.io/v1alpha1
kind: InstanceType
metadata: {name: c.large}
spec:
  capacity: {cpu: "4", memory: 16Gi, pods: "20"}
  requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
  offerings:
  - {zone: zone-a, capacityType: spot, price: 0.06}
  - {zone: zone-a, capacityType: on-demand, price: 0.2}
---
apiVersion: sim.karpenter-cpp.io/v1alpha1
kind: InstanceType
metadata: {name: c.xlarge}
spec:
  capacity: {cpu: "8", memory: 32Gi, pods: "40"}
  requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
  offerings:
  - {zone: zone-a, capacityType: spot, price: 0.12}
  - {zone: zone-a, capacityType: on-demand, price: 0.4}
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: 30s
)";

// Deployment default/web of 1-cpu pause pods with `replicas` replicas.
inline std::string DeploymentYaml(int replicas) {
  return R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: )" +
         std::to_string(replicas) +
         R"(
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: web
        image: pause
        resources: {requests: {cpu: "1"}}
)";
}

// Reads files from a map (path -> text) instead of the disk.
struct FakeFiles {
  std::map<std::string, std::string> files;

  ManifestReader Reader() const {
    return [this](const std::string& path) {
      auto it = files.find(path);
      if (it == files.end()) {
        api::ReadResult missing;
        api::Diagnostic d;
        d.file = path;
        d.message = "no such file or directory";
        missing.errors.push_back(d);
        return missing;
      }
      return api::ReadYamlDocuments(it->second, path);
    };
  }
};

// Parses `text` as "dir/scenario.yaml" and expects no error.
inline Scenario MustParse(const std::string& text, const FakeFiles& files = {}) {
  LoadedScenario loaded = ParseScenario(text, "dir/scenario.yaml", files.Reader());
  for (const api::Diagnostic& d : loaded.diagnostics) {
    EXPECT_NE(d.severity, api::Severity::kError) << d.ToString();
  }
  EXPECT_TRUE(loaded.scenario.has_value());
  return loaded.scenario ? std::move(*loaded.scenario) : Scenario{};
}

}  // namespace karpenter::sim::testing
