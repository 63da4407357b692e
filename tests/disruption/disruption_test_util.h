// Builders for disruption tests: objects decoded from short YAML through the api codecs, and
// managed nodes assembled in C++.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/codec/ec2_node_class_codec.h"
#include "api/codec/field_reader.h"
#include "api/codec/node_claim_codec.h"
#include "api/codec/node_codec.h"
#include "api/codec/node_pool_codec.h"
#include "api/codec/pdb_codec.h"
#include "api/codec/pod_codec.h"
#include "api/yaml_reader.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption::testing {

// The single document of `yaml`.
inline api::Json Document(std::string_view yaml) {
  api::ReadResult read = api::ReadYamlDocuments(yaml, "test.yaml");
  EXPECT_TRUE(read.errors.empty()) << yaml;
  EXPECT_EQ(read.documents.size(), 1u) << yaml;
  return read.documents.empty() ? api::Json() : read.documents.front().value;
}

template <typename T>
T Decode(std::string_view yaml,
         T (*decode)(const api::Json&, api::FieldErrors&, const std::string&)) {
  api::FieldErrors errors;
  T value = decode(Document(yaml), errors, "");
  for (const api::FieldError& error : errors)
    ADD_FAILURE() << error.pointer << ": " << error.message;
  return value;
}

inline api::NodePool NodePoolYaml(std::string_view yaml) {
  return Decode(yaml, &api::codec::DecodeNodePool);
}
inline api::Pod PodYaml(std::string_view yaml) { return Decode(yaml, &api::codec::DecodePod); }
inline api::PodDisruptionBudget PdbYaml(std::string_view yaml) {
  return Decode(yaml, &api::codec::DecodePodDisruptionBudget);
}
inline api::NodeClaim NodeClaimYaml(std::string_view yaml) {
  return Decode(yaml, &api::codec::DecodeNodeClaim);
}
inline api::Node NodeYaml(std::string_view yaml) { return Decode(yaml, &api::codec::DecodeNode); }
inline api::EC2NodeClass NodeClassYaml(std::string_view yaml) {
  return Decode(yaml, &api::codec::DecodeEC2NodeClass);
}

// An RFC 3339 time ("2024-05-27T22:59:00Z").
inline Time At(std::string_view rfc3339) {
  api::Json object = {{"t", std::string(rfc3339)}};
  api::FieldErrors errors;
  api::codec::FieldReader reader(&object, "", &errors);
  std::optional<int64_t> seconds = reader.Timestamp("t");
  EXPECT_TRUE(seconds.has_value() && errors.empty()) << rfc3339;
  return FromEpochSeconds(seconds.value_or(0));
}

inline int64_t Seconds(std::string_view rfc3339) {
  return std::chrono::duration_cast<std::chrono::seconds>(At(rfc3339).time_since_epoch()).count();
}

// A NodePool named `name` with `disruption` (YAML of spec.disruption, indented by 4) and the
// given template requirements block.
inline api::NodePool MakeNodePool(const std::string& name,
                                  const std::string& disruption = "    consolidateAfter: 0s\n") {
  return NodePoolYaml("apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: " + name +
                      "\nspec:\n  template:\n    spec:\n      nodeClassRef:\n        group: "
                      "karpenter.k8s.aws\n        kind: EC2NodeClass\n        name: default\n"
                      "      requirements: []\n  disruption:\n" +
                      disruption);
}

// `value` as a shared object, as snapshots hold them.
template <typename T>
Shared<T> Share(T value) {
  return std::make_shared<const T>(std::move(value));
}

// The object `shared` points to, made editable: replaced by a private copy first (copy on
// write), so other holders of the object keep the original.
template <typename T>
T& Edit(Shared<T>& shared) {
  auto copy = std::make_shared<T>(*shared);
  shared = copy;
  return *copy;
}

// A managed, initialized, Ready node of `pool` whose NodeClaim was created at `created` and
// whose last pod event was at `created` too.
inline SnapshotNode ManagedNode(const std::string& name, const std::string& pool, int64_t created) {
  SnapshotNode entry;
  api::Node node;
  node.metadata.name = name;
  node.metadata.labels = {{"karpenter.sh/nodepool", pool},
                          {"karpenter.sh/initialized", "true"},
                          {"node.kubernetes.io/instance-type", "m5.large"}};
  node.spec.provider_id = "aws:///us-west-2a/i-" + name;
  api::NodeCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  node.status.conditions.push_back(ready);
  api::NodeClaim claim;
  claim.metadata.name = name + "-claim";
  claim.metadata.labels = node.metadata.labels;
  claim.metadata.creation_timestamp = created;
  claim.status.node_name = name;
  claim.status.provider_id = node.spec.provider_id;
  claim.status.last_pod_event_time = created;
  entry.node = std::make_shared<const api::Node>(std::move(node));
  entry.node_claim = std::make_shared<const api::NodeClaim>(std::move(claim));
  entry.node_pool = pool;
  entry.initialized = true;
  return entry;
}

// A running pod `namespace_/name` bound to `node`, with `labels`.
inline api::Pod RunningPod(const std::string& namespace_, const std::string& name,
                           const std::string& node, core::Labels labels = {}) {
  api::Pod pod;
  pod.metadata.namespace_ = namespace_;
  pod.metadata.name = name;
  pod.metadata.labels = std::move(labels);
  pod.spec.node_name = node;
  pod.status.phase = "Running";
  api::PodCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  pod.status.conditions.push_back(ready);
  return pod;
}

// A condition of `type` with `status`, last changed at `seconds`.
inline api::Condition MakeCondition(std::string type, std::string status, int64_t seconds) {
  api::Condition condition;
  condition.type = std::move(type);
  condition.status = std::move(status);
  condition.last_transition_time = seconds;
  return condition;
}

}  // namespace karpenter::disruption::testing
