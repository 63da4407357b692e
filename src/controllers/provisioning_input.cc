// Building the scheduler's input from live cluster objects.
#include "controllers/provisioning_input.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "catalog/labels.h"
#include "controllers/lifecycle_keys.h"
#include "core/requirement.h"
#include "disruption/pod_rules.h"
#include "scheduling/cluster_nodes.h"

namespace karpenter::controllers {
namespace {

constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";
// kube-scheduler tried the pod and found no node (it sets PodScheduled=False, reason
// Unschedulable).
bool FailedToSchedule(const api::Pod& pod) {
  return std::ranges::any_of(pod.status.conditions, [](const api::PodCondition& condition) {
    return condition.type == "PodScheduled" && condition.reason == "Unschedulable";
  });
}

bool IsOffered(const api::NodePool& pool) {
  if (pool.metadata.deletion_timestamp.has_value() || pool.spec.replicas.has_value()) return false;
  const api::Condition* ready = api::FindCondition(pool.status.conditions, "Ready");
  return ready == nullptr || ready->status != "False";
}

void AddExistingCapacity(const ClusterObjects& objects, scheduling::SchedulingInput& input) {
  scheduling::NodeClaimIndex claims;
  for (const auto& claim : objects.node_claims) claims.Add(*claim);
  std::set<const api::NodeClaim*> joined;
  std::map<std::string, size_t, std::less<>> by_name;
  for (const auto& node : objects.nodes) {
    const api::NodeClaim* claim = claims.ClaimOf(*node);
    if (claim != nullptr) joined.insert(claim);
    by_name.emplace(node->metadata.name, input.existing_nodes.size());
    scheduling::ExistingNode existing = scheduling::ExistingNodeOf(*node, claim);
    if (existing.allocatable.empty() && claim != nullptr) {
      existing.allocatable = existing.capacity = claim->status.allocatable;
    }
    input.existing_nodes.push_back(std::move(existing));
  }
  for (const auto& claim : objects.node_claims) {
    if (joined.contains(claim.get())) continue;
    scheduling::ExistingNode existing = scheduling::ExistingNodeOfInFlightClaim(*claim);
    // Not launched yet: only the requests are known to fit whatever is launched.
    if (existing.allocatable.empty()) {
      existing.allocatable = existing.capacity = claim->spec.resource_requests;
    }
    input.existing_nodes.push_back(std::move(existing));
  }
  for (const auto& pod : objects.pods) {
    if (pod->spec.node_name.empty() || disruption::IsTerminal(*pod)) continue;
    auto it = by_name.find(pod->spec.node_name);
    if (it != by_name.end()) input.existing_nodes[it->second].pods.push_back(pod.get());
  }
}

}  // namespace

bool IsProvisionable(const api::Pod& pod) {
  return pod.spec.node_name.empty() && !pod.metadata.deletion_timestamp.has_value() &&
         !disruption::IsTerminal(pod) && !disruption::IsOwnedByDaemonSet(pod) &&
         !disruption::IsMirrorPod(pod) && pod.status.nominated_node_name.empty() &&
         FailedToSchedule(pod);
}

ClusterObjects ListClusterObjects(kube::ClusterPort& cluster) {
  ClusterObjects objects;
  objects.pods = cluster.Pods().List();
  objects.nodes = cluster.Nodes().List();
  objects.node_claims = cluster.NodeClaims().List();
  objects.node_pools = cluster.NodePools().List();
  objects.daemon_sets = cluster.DaemonSets().List();
  objects.namespaces = cluster.Namespaces().List();
  return objects;
}

std::shared_ptr<const catalog::Catalog> WithUnavailableOfferings(
    std::shared_ptr<const catalog::Catalog> catalog,
    const catalog::UnavailableOfferings& unavailable, core::Time now) {
  if (!catalog || unavailable.size() == 0) return catalog;
  auto held = [&](const catalog::InstanceType& type, const catalog::Offering& offering) {
    return offering.available &&
           !unavailable.IsAvailable({type.name(), offering.zone, offering.capacity_type}, now);
  };
  bool any = false;
  for (const catalog::InstanceType& type : catalog->types()) {
    for (const catalog::Offering& offering : type.offerings()) any = any || held(type, offering);
  }
  if (!any) return catalog;
  std::vector<catalog::InstanceType> types;
  types.reserve(catalog->size());
  for (const catalog::InstanceType& type : catalog->types()) {
    std::vector<catalog::Offering> offerings = type.offerings();
    for (catalog::Offering& offering : offerings) {
      if (held(type, offering)) offering.available = false;
    }
    types.push_back(catalog::InstanceType::WithRequirements(
        type.name(), type.capacity(), type.overhead(), type.Requirements(), std::move(offerings)));
  }
  auto rebuilt = catalog::Catalog::Create(std::move(types), catalog->region());
  if (!rebuilt) return catalog;  // names were unique in the original: cannot happen
  return std::make_shared<const catalog::Catalog>(std::move(*rebuilt));
}

ProvisioningInput BuildProvisioningInput(const ClusterObjects& objects,
                                         const cloud::CloudProvider& cloud,
                                         const catalog::UnavailableOfferings* unavailable,
                                         core::Time now,
                                         scheduling::NodeRequirementsCache* requirements) {
  ProvisioningInput result;
  scheduling::SchedulingInput& input = result.input;
  for (const auto& pod : objects.pods) {
    if (IsProvisionable(*pod)) input.pending.push_back(pod.get());
  }
  AddExistingCapacity(objects, input);
  if (requirements != nullptr) requirements->Fill(input.existing_nodes);
  for (const auto& pool : objects.node_pools) {
    if (!IsOffered(*pool)) continue;
    auto pool_catalog = cloud.InstanceTypes(*pool);
    if (!pool_catalog) continue;
    if (unavailable != nullptr) {
      pool_catalog = WithUnavailableOfferings(std::move(pool_catalog), *unavailable, now);
    }
    // What the NodePool already has counts against its limits (nodes and in-flight claims).
    result.catalogs.push_back(pool_catalog);
    input.node_pools.push_back(
        {pool.get(), result.catalogs.back().get(),
         scheduling::CapacityInUse(input.existing_nodes, pool->metadata.name)});
  }
  for (const auto& daemon_set : objects.daemon_sets) input.daemon_sets.push_back(daemon_set.get());
  for (const auto& ns : objects.namespaces) {
    core::Labels labels = ns->metadata.labels;
    labels.try_emplace(std::string(kNamespaceNameLabel), ns->metadata.name);
    input.namespace_labels[ns->metadata.name] = std::move(labels);
  }
  return result;
}

}  // namespace karpenter::controllers
