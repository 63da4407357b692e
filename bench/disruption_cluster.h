// A deterministic synthetic cluster for the disruption benchmark (issue 5): Karpenter-managed
// nodes of real AWS us-east-1 instance types in three NodePools, running Deployment-like apps
// with mixed scheduling constraints, at varied utilisation. Header-only so that other bench or
// scratch programs can build the same cluster.
//
// NodePools:
//   general   WhenEmptyOrUnderutilized, amd64 c/m/r, spot and on-demand (70% of its nodes
//             on-demand), 50% of the nodes.
//   spot-arm  WhenEmptyOrUnderutilized, arm64 Graviton c/m/r, spot only, 30% of the nodes.
//   balanced  Balanced, amd64 AMD c/m/r (c6a, m6a, r6a), on-demand only, 20% of the nodes.
// All have consolidateAfter 30s and the default 10% budget; every NodeClaim was created two
// days ago and saw its last pod event an hour ago, except "recently emptied" nodes (2%), which
// run no app pod and had a pod event 10 s ago, so emptiness finds nothing to delete yet.
// Nodes are spread over us-east-1a/b/c; each runs one DaemonSet pod (kube-proxy-like).
// Each node gets a fill target (30% at 75-95%, 40% at 40-70%, 30% at 10-35% of its CPU and
// memory); app pods go to random nodes within their target (else to any node with room), so
// every pod fits its node.
// Apps (400, seeded): requests cpu {50m .. 1}, memory {64Mi .. 2Gi}; by app index mod 20:
//   0-9   plain                                   10-13 zonal topology spread (maxSkew 1)
//   14-15 hostname anti-affinity                  16-17 nodeSelector arch arm64
//   18    nodeSelector capacity-type on-demand    19    plain, with a PDB maxUnavailable 1
// One app in 40 (of the plain ones) has a PDB minAvailable 100% (blocks its nodes), and 15 pods
// carry karpenter.sh/do-not-disrupt.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/codec/node_pool_codec.h"
#include "api/field_error.h"
#include "api/yaml_reader.h"
#include "catalog/aws_catalog.h"
#include "catalog/labels.h"
#include "disruption/snapshot.h"
#include "disruption_cluster_plan.h"

namespace karpenter::bench {
namespace cluster_internal {

inline constexpr int64_t kNow = 1'780'000'000;  // 2026-05-28T21:46:40Z
inline constexpr std::string_view kPools[] = {
    R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 30s}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
      - {key: kubernetes.io/arch, operator: In, values: [amd64]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
)",
    R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: spot-arm}
spec:
  disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 30s}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
      - {key: kubernetes.io/arch, operator: In, values: [arm64]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot]}
)",
    R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: balanced}
spec:
  disruption: {consolidationPolicy: Balanced, consolidateAfter: 30s}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-family, operator: In, values: [c6a, m6a, r6a]}
      - {key: kubernetes.io/arch, operator: In, values: [amd64]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
)",
};

// Labels a node of `type` carries (the well-known ones Karpenter sets from the instance type).
inline core::Labels TypeLabels(const catalog::InstanceType& type) {
  core::Labels labels;
  for (std::string_view key :
       {catalog::kLabelInstanceType, catalog::kLabelArch, catalog::kLabelOs,
        catalog::kLabelInstanceCategory, catalog::kLabelInstanceFamily,
        catalog::kLabelInstanceGeneration, catalog::kLabelInstanceSize, catalog::kLabelInstanceCpu,
        catalog::kLabelInstanceMemory, catalog::kLabelInstanceHypervisor}) {
    if (std::optional<std::string> value = type.Label(key)) labels[std::string(key)] = *value;
  }
  labels[std::string(catalog::kLabelInstanceType)] = type.name();
  labels[std::string(catalog::kLabelRegion)] = "us-east-1";
  return labels;
}

inline api::NodePool DecodePool(std::string_view yaml) {
  api::ReadResult read = api::ReadYamlDocuments(yaml, "cluster.yaml");
  api::FieldErrors errors;
  if (!read.errors.empty() || read.documents.empty()) std::abort();
  api::NodePool pool = api::codec::DecodeNodePool(read.documents[0].value, errors);
  if (!errors.empty()) std::abort();
  return pool;
}

inline core::LabelSelector Selects(const std::string& app) {
  core::LabelSelector selector;
  selector.match_labels["app"] = app;
  return selector;
}

inline api::Pod MakePod(const std::string& name, const std::string& namespace_,
                        const std::string& node, int64_t cpu_milli, int64_t memory_mi) {
  api::Pod pod;
  pod.metadata.name = name;
  pod.metadata.namespace_ = namespace_;
  pod.metadata.uid = "uid-" + namespace_ + "-" + name;
  pod.metadata.creation_timestamp = kNow - 86400;
  pod.spec.node_name = node;
  api::Container& container = pod.spec.containers.emplace_back();
  container.name = "main";
  container.resources.requests.Set("cpu", core::Quantity::FromMilli(cpu_milli));
  container.resources.requests.Set(
      "memory", core::Quantity::FromInt(memory_mi << 20, core::Format::kBinarySI));
  pod.status.phase = "Running";
  api::PodCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  pod.status.conditions.push_back(ready);
  return pod;
}

inline api::Pod AppPod(const App& app, int index, const std::string& node) {
  api::Pod pod = MakePod(app.name + "-" + std::to_string(index), app.namespace_, node,
                         app.cpu_milli, app.memory_mi);
  pod.metadata.labels["app"] = app.name;
  api::OwnerReference owner;
  owner.api_version = "apps/v1";
  owner.kind = "ReplicaSet";
  owner.name = app.name + "-rs";
  owner.controller = true;
  pod.metadata.owner_references.push_back(owner);
  switch (app.kind) {
    case AppKind::kZonalSpread: {
      api::TopologySpreadConstraint spread;
      spread.max_skew = 1;
      spread.topology_key = std::string(catalog::kLabelZone);
      spread.label_selector = Selects(app.name);
      pod.spec.topology_spread_constraints.push_back(spread);
      break;
    }
    case AppKind::kAntiAffinity: {
      api::PodAffinityTerm term;
      term.topology_key = "kubernetes.io/hostname";
      term.label_selector = Selects(app.name);
      pod.spec.affinity.pod_anti_affinity.required.push_back(term);
      break;
    }
    case AppKind::kArm64:
      pod.spec.node_selector[std::string(catalog::kLabelArch)] = "arm64";
      break;
    case AppKind::kOnDemand:
      pod.spec.node_selector[std::string(catalog::kLabelCapacityType)] = "on-demand";
      break;
    case AppKind::kPlain:
    case AppKind::kPdb:
      break;
  }
  return pod;
}

inline api::Pod DaemonPod(const std::string& node) {
  api::Pod pod =
      MakePod("kube-proxy-" + node, "kube-system", node, kDaemonCpuMilli, kDaemonMemoryMi);
  pod.metadata.labels["k8s-app"] = "kube-proxy";
  api::OwnerReference owner;
  owner.api_version = "apps/v1";
  owner.kind = "DaemonSet";
  owner.name = "kube-proxy";
  owner.controller = true;
  pod.metadata.owner_references.push_back(owner);
  return pod;
}

inline void AddNode(disruption::ClusterObjects& objects, const NodePlan& plan, int index,
                    const std::vector<api::NodePool>& pools) {
  const std::string name =
      "ip-10-" + std::to_string(index / 250) + "-" + std::to_string(index % 250) + ".ec2.internal";
  core::Labels labels = TypeLabels(*plan.type);
  labels[std::string(catalog::kLabelZone)] = std::string(kZones[plan.zone]);
  labels[std::string(catalog::kLabelCapacityType)] = plan.spot ? "spot" : "on-demand";
  labels[std::string(disruption::kNodePoolLabel)] = pools[plan.pool].metadata.name;
  labels[std::string(disruption::kInitializedLabel)] = "true";
  labels["kubernetes.io/hostname"] = name;
  api::Node node;
  node.metadata.name = name;
  node.metadata.labels = labels;
  node.spec.provider_id =
      "aws:///" + std::string(kZones[plan.zone]) + "/i-" + std::to_string(index);
  node.status.capacity = plan.type->capacity();
  node.status.allocatable = plan.type->allocatable();
  api::NodeCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  node.status.conditions.push_back(ready);
  api::NodeClaim claim;
  claim.metadata.name = pools[plan.pool].metadata.name + "-" + std::to_string(index);
  claim.metadata.labels = labels;
  claim.metadata.creation_timestamp = kNow - 2 * 86400;
  claim.status.node_name = name;
  claim.status.provider_id = node.spec.provider_id;
  claim.status.last_pod_event_time = plan.recently_emptied ? kNow - 10 : kNow - 3600;
  objects.nodes.push_back(std::make_shared<const api::Node>(std::move(node)));
  objects.node_claims.push_back(std::make_shared<const api::NodeClaim>(std::move(claim)));
}

inline api::PodDisruptionBudget MakePdb(const App& app) {
  api::PodDisruptionBudget pdb;
  pdb.metadata.name = app.name;
  pdb.metadata.namespace_ = app.namespace_;
  pdb.selector = Selects(app.name);
  if (app.strict_pdb) {
    pdb.min_available = api::IntOrPercent::Percent(100);
  } else {
    pdb.max_unavailable = api::IntOrPercent::Count(1);
  }
  return pdb;
}

}  // namespace cluster_internal

// The cluster as listed from the API server, with the catalog shared.
inline disruption::ClusterObjects MakeClusterObjects(
    const ClusterShape& shape, std::shared_ptr<const catalog::Catalog> catalog) {
  using namespace cluster_internal;
  std::mt19937 random(shape.seed);
  disruption::ClusterObjects objects;
  for (std::string_view yaml : kPools) objects.node_pools.push_back(DecodePool(yaml));
  std::vector<App> apps = MakeApps(shape, random);
  std::vector<NodePlan> plans = PlanNodes(shape, *catalog, random);
  PlacePods(shape, apps, plans, random);
  std::vector<int> next_index(apps.size(), 0);
  int do_not_disrupt = 0;
  for (size_t n = 0; n < plans.size(); ++n) {
    AddNode(objects, plans[n], static_cast<int>(n), objects.node_pools);
    const std::string& node = objects.nodes.back()->metadata.name;
    objects.pods.push_back(std::make_shared<const api::Pod>(DaemonPod(node)));
    for (int a : plans[n].apps) {
      api::Pod pod = AppPod(apps[a], next_index[a]++, node);
      if (do_not_disrupt < 15 && random() % 2000 == 0) {
        pod.metadata.annotations[std::string(disruption::kDoNotDisruptAnnotation)] = "true";
        ++do_not_disrupt;
      }
      objects.pods.push_back(std::make_shared<const api::Pod>(std::move(pod)));
    }
  }
  for (const App& app : apps) {
    if (app.kind == AppKind::kPdb || app.strict_pdb) objects.pdbs.push_back(MakePdb(app));
  }
  objects.catalog = std::move(catalog);
  return objects;
}

// The snapshot time the cluster was made for.
inline disruption::Time ClusterNow() {
  return disruption::FromEpochSeconds(cluster_internal::kNow);
}

}  // namespace karpenter::bench
