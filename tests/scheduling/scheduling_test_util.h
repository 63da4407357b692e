// Builders for scheduling tests: pods and NodePools from short YAML, and a small custom catalog.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "api/codec/node_pool_codec.h"
#include "api/codec/pod_codec.h"
#include "api/codec/workload_codec.h"
#include "api/field_error.h"
#include "api/yaml_reader.h"
#include "catalog/catalog.h"
#include "catalog/labels.h"
#include "scheduling/scheduler.h"

namespace karpenter::scheduling::test_util {

inline api::Json Yaml(std::string_view yaml) {
  api::ReadResult read = api::ReadYamlDocuments(yaml, "test.yaml");
  EXPECT_TRUE(read.errors.empty()) << (read.errors.empty() ? "" : read.errors[0].ToString());
  return read.documents.empty() ? api::Json() : read.documents[0].value;
}

inline api::Pod PodFromYaml(std::string_view yaml) {
  api::FieldErrors errors;
  api::Pod pod = api::codec::DecodePod(Yaml(yaml), errors);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
  if (pod.metadata.uid.empty()) pod.metadata.uid = pod.metadata.name;
  if (pod.metadata.namespace_.empty()) pod.metadata.namespace_ = "default";
  return pod;
}

// A pod named `name` with one container requesting cpu/memory, plus `spec_extra` YAML lines
// (indented for spec:) and `labels` lines.
inline api::Pod MakePod(const std::string& name, const std::string& cpu,
                        const std::string& memory = "1Gi", const std::string& spec_extra = "",
                        const std::string& labels = "") {
  std::string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n";
  if (!labels.empty()) yaml += "  labels:\n" + labels;
  yaml += "spec:\n  containers:\n  - name: c\n    image: x\n    resources:\n      requests:\n"
          "        cpu: \"" + cpu + "\"\n        memory: \"" + memory + "\"\n" + spec_extra;
  return PodFromYaml(yaml);
}

inline api::NodePool PoolFromYaml(std::string_view yaml) {
  api::FieldErrors errors;
  api::NodePool pool = api::codec::DecodeNodePool(Yaml(yaml), errors);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
  return pool;
}

// A NodePool `name` with `template_spec` YAML lines under spec.template.spec (after nodeClassRef)
// and `spec_extra` lines under spec.
inline api::NodePool MakePool(const std::string& name, const std::string& template_spec = "",
                              const std::string& spec_extra = "") {
  return PoolFromYaml("apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: " + name +
                      "\nspec:\n" + spec_extra +
                      "  template:\n    spec:\n      nodeClassRef:\n        group: "
                      "karpenter.k8s.aws\n        kind: EC2NodeClass\n        name: default\n" +
                      template_spec);
}

struct TypeSpec {
  std::string name;
  int cpu;
  int memory_gi;
  double price;  // on-demand; spot is 0.4x
  std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"};
  std::string arch = "amd64";
  int gpus = 0;
};

inline catalog::InstanceType MakeType(const TypeSpec& spec) {
  core::ResourceList capacity = {
      {"cpu", core::Quantity::FromInt(spec.cpu)},
      {"memory", core::Quantity::FromInt(int64_t{spec.memory_gi} << 30, core::Format::kBinarySI)},
      {"pods", core::Quantity::FromInt(20)}};
  if (spec.gpus > 0) capacity.Set("nvidia.com/gpu", core::Quantity::FromInt(spec.gpus));
  std::vector<catalog::Offering> offerings;
  for (const std::string& zone : spec.zones) {
    offerings.push_back({zone, catalog::CapacityType::kSpot, spec.price * 0.4,
                         catalog::PriceSource::kCustom, true});
    offerings.push_back({zone, catalog::CapacityType::kOnDemand, spec.price,
                         catalog::PriceSource::kCustom, true});
  }
  core::Requirements requirements;
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelInstanceType), {spec.name}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelArch), {spec.arch}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelOs), {"linux"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelZone), spec.zones));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelCapacityType),
                                         {"spot", "on-demand"}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelInstanceCpu),
                                         {std::to_string(spec.cpu)}));
  return catalog::InstanceType::WithRequirements(spec.name, capacity, {}, requirements,
                                                 offerings);
}

inline catalog::Catalog MakeCatalog(const std::vector<TypeSpec>& specs) {
  std::vector<catalog::InstanceType> types;
  for (const TypeSpec& spec : specs) types.push_back(MakeType(spec));
  auto catalog = catalog::Catalog::Create(std::move(types));
  EXPECT_TRUE(catalog.has_value());
  return catalog ? std::move(*catalog) : catalog::Catalog();
}

// small: 2 cpu/4Gi $0.10, medium: 4/8 $0.20, large: 8/16 $0.40 (spot 40% of that), 3 zones.
inline catalog::Catalog DefaultTestCatalog() {
  return MakeCatalog({{"small", 2, 4, 0.10}, {"medium", 4, 8, 0.20}, {"large", 8, 16, 0.40}});
}

// Owns the objects a SchedulingInput points to.
struct Scenario {
  catalog::Catalog catalog = DefaultTestCatalog();
  std::deque<api::Pod> pods;
  std::deque<api::NodePool> pools;
  std::deque<api::DaemonSet> daemon_sets;
  std::deque<api::Pod> bound;
  SchedulingInput input;

  api::Pod& AddPod(api::Pod pod) {
    pods.push_back(std::move(pod));
    input.pending.push_back(&pods.back());
    return pods.back();
  }
  void AddPool(api::NodePool pool, core::ResourceList in_use = {}) {
    pools.push_back(std::move(pool));
    input.node_pools.push_back({&pools.back(), &catalog, std::move(in_use)});
  }
  const api::Pod* Bound(api::Pod pod) {
    bound.push_back(std::move(pod));
    return &bound.back();
  }
  SchedulingResult Run() const { return Schedule(input); }
};

inline std::vector<std::string> Names(const std::vector<const api::Pod*>& pods) {
  std::vector<std::string> names;
  for (const api::Pod* pod : pods) names.push_back(pod->metadata.name);
  return names;
}

inline std::vector<std::string> TypeNames(const NewNodeClaim& claim) {
  std::vector<std::string> names;
  for (const catalog::InstanceType* type : claim.instance_type_options) names.push_back(type->name());
  return names;
}

}  // namespace karpenter::scheduling::test_util
