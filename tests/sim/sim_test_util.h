// Shared inputs of the sim tests: YAML in, loaded objects or a snapshot out.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "api/yaml_reader.h"
#include "sim/objects.h"
#include "sim/snapshot.h"

namespace karpenter::sim::testing {

// A NodePool "default" on EC2NodeClass "default", and a two-type custom catalog:
// small (2 cpu, 4Gi, 10 pods; spot 0.03 and on-demand 0.1 in zone-a) and large (8 cpu, 32Gi,
// 40 pods; on-demand 0.4 in zone-a and zone-b).
inline constexpr std::string_view kNodePoolAndCatalog = R"(
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
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
metadata: {name: small}
spec:
  capacity: {cpu: "2", memory: 4Gi, pods: "10"}
  requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
  offerings:
  - {zone: zone-a, capacityType: spot, price: 0.03}
  - {zone: zone-a, capacityType: on-demand, price: 0.1}
---
apiVersion: sim.karpenter-cpp.io/v1alpha1
kind: InstanceType
metadata: {name: large}
spec:
  capacity: {cpu: "8", memory: 32Gi, pods: "40"}
  requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
  offerings:
  - {zone: zone-a, capacityType: on-demand, price: 0.4}
  - {zone: zone-b, capacityType: on-demand, price: 0.4}
)";

// A pod `name` in "default" asking for `cpu`, with extra metadata/spec lines appended to its
// metadata (`metadata_extra`, indented two spaces) and spec (`spec_extra`).
inline std::string PodYaml(const std::string& name, const std::string& cpu,
                           const std::string& metadata_extra = "",
                           const std::string& spec_extra = "") {
  return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n" + metadata_extra +
         "spec:\n" + spec_extra + "  containers:\n  - name: c\n    image: pause\n" +
         "    resources: {requests: {cpu: \"" + cpu + "\"}}\n";
}

inline LoadedObjects LoadYaml(std::string_view yaml) {
  api::ReadResult read = api::ReadYamlDocuments(yaml, "input.yaml");
  EXPECT_TRUE(read.errors.empty()) << (read.errors.empty() ? "" : read.errors[0].ToString());
  return LoadObjects(read.documents);
}

inline Snapshot SnapshotOf(std::string_view yaml) {
  LoadedObjects loaded = LoadYaml(yaml);
  for (const api::Diagnostic& d : loaded.diagnostics) {
    EXPECT_NE(d.severity, api::Severity::kError) << d.ToString();
  }
  auto snapshot = BuildSnapshot(std::move(loaded.objects));
  EXPECT_TRUE(snapshot.has_value()) << (snapshot ? "" : snapshot.error().message);
  return snapshot ? std::move(*snapshot) : Snapshot();
}

// The diagnostics' ToString(), one per line.
inline std::string DiagnosticsText(const std::vector<api::Diagnostic>& diagnostics) {
  std::string text;
  for (const api::Diagnostic& d : diagnostics) text += d.ToString() + "\n";
  return text;
}

}  // namespace karpenter::sim::testing
