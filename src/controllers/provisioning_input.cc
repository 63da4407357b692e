// Building the scheduler's input from live cluster objects.
#include "controllers/provisioning_input.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include "catalog/labels.h"
#include "controllers/lifecycle_keys.h"
#include "core/requirement.h"
#include "disruption/pod_rules.h"
#include "scheduling/well_known.h"

namespace karpenter::controllers {
namespace {

constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";
constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

bool HasDisruptedTaint(const std::vector<core::Taint>& taints) {
  return std::ranges::any_of(taints, [](const core::Taint& taint) {
    return taint.key == kDisruptedTaintKey && taint.effect == core::TaintEffect::NoSchedule;
  });
}

bool IsOffered(const api::NodePool& pool) {
  if (pool.metadata.deletion_timestamp.has_value() || pool.spec.replicas.has_value()) return false;
  const api::Condition* ready = api::FindCondition(pool.status.conditions, "Ready");
  return ready == nullptr || ready->status != "False";
}

// NodeClaims by the Node they are joined to.
class ClaimIndex {
 public:
  explicit ClaimIndex(const ClusterObjects& objects) {
    for (const auto& claim : objects.node_claims) {
      if (!claim->status.node_name.empty()) by_node_.try_emplace(claim->status.node_name, claim.get());
      if (!claim->status.provider_id.empty()) {
        by_provider_id_.try_emplace(claim->status.provider_id, claim.get());
      }
    }
  }
  const api::NodeClaim* ClaimOf(const api::Node& node) const {
    if (auto it = by_node_.find(node.metadata.name); it != by_node_.end()) return it->second;
    if (node.spec.provider_id.empty()) return nullptr;
    auto it = by_provider_id_.find(node.spec.provider_id);
    return it == by_provider_id_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, const api::NodeClaim*, std::less<>> by_node_;
  std::map<std::string, const api::NodeClaim*, std::less<>> by_provider_id_;
};

scheduling::ExistingNode FromNode(const api::Node& node, const api::NodeClaim* claim) {
  scheduling::ExistingNode existing;
  existing.name = node.metadata.name;
  existing.labels = node.metadata.labels;
  existing.labels.try_emplace(std::string(scheduling::kLabelHostname), node.metadata.name);
  existing.node_pool = LabelOr(existing.labels, kNodePoolLabel);
  if (existing.node_pool.empty() && claim != nullptr) {
    existing.node_pool = LabelOr(claim->metadata.labels, kNodePoolLabel);
  }
  existing.taints = node.spec.taints;
  existing.capacity = node.status.capacity;
  existing.allocatable = node.status.allocatable;
  if (existing.allocatable.empty() && claim != nullptr) existing.allocatable = claim->status.allocatable;
  if (existing.capacity.empty()) existing.capacity = existing.allocatable;
  // Nodes Karpenter did not launch are initialized by definition.
  existing.initialized = existing.node_pool.empty() ||
                         LabelOr(existing.labels, kInitializedLabel) == "true" ||
                         (claim != nullptr &&
                          IsConditionTrue(claim->status.conditions, kConditionInitialized));
  existing.marked_for_deletion = node.spec.unschedulable ||
                                 node.metadata.deletion_timestamp.has_value() ||
                                 HasDisruptedTaint(node.spec.taints) ||
                                 (claim != nullptr && claim->metadata.deletion_timestamp);
  return existing;
}

// A NodeClaim without a Node: what the node will look like once it registers.
scheduling::ExistingNode FromInFlightClaim(const api::NodeClaim& claim) {
  scheduling::ExistingNode existing;
  existing.name = claim.metadata.name;
  for (const core::NodeSelectorRequirement& wire : claim.spec.requirements) {
    auto requirement = core::Requirement::From(wire);
    if (!requirement || requirement->EffectiveOperator() != core::Operator::In) continue;
    const std::vector<std::string> values = requirement->Values();
    if (values.size() == 1) existing.labels[wire.key] = values.front();
  }
  for (const auto& [key, value] : claim.metadata.labels) existing.labels[key] = value;
  existing.labels.try_emplace(std::string(scheduling::kLabelHostname), claim.metadata.name);
  existing.node_pool = LabelOr(existing.labels, kNodePoolLabel);
  existing.taints = claim.spec.taints;  // startup taints go before pods need to tolerate them
  existing.capacity = claim.status.capacity;
  existing.allocatable = claim.status.allocatable;
  // Not launched yet: only the requests are known to fit whatever is launched.
  if (existing.allocatable.empty()) existing.allocatable = claim.spec.resource_requests;
  if (existing.capacity.empty()) existing.capacity = existing.allocatable;
  existing.initialized = false;
  existing.marked_for_deletion = claim.metadata.deletion_timestamp.has_value();
  return existing;
}

void AddExistingCapacity(const ClusterObjects& objects, scheduling::SchedulingInput& input) {
  const ClaimIndex claims(objects);
  std::set<const api::NodeClaim*> joined;
  std::map<std::string, size_t, std::less<>> by_name;
  for (const auto& node : objects.nodes) {
    const api::NodeClaim* claim = claims.ClaimOf(*node);
    if (claim != nullptr) joined.insert(claim);
    by_name.emplace(node->metadata.name, input.existing_nodes.size());
    input.existing_nodes.push_back(FromNode(*node, claim));
  }
  for (const auto& claim : objects.node_claims) {
    if (joined.contains(claim.get())) continue;
    input.existing_nodes.push_back(FromInFlightClaim(*claim));
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
         !disruption::IsMirrorPod(pod) && pod.status.nominated_node_name.empty();
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
                                         core::Time now) {
  ProvisioningInput result;
  scheduling::SchedulingInput& input = result.input;
  for (const auto& pod : objects.pods) {
    if (IsProvisionable(*pod)) input.pending.push_back(pod.get());
  }
  AddExistingCapacity(objects, input);
  for (const auto& pool : objects.node_pools) {
    if (!IsOffered(*pool)) continue;
    auto pool_catalog = cloud.InstanceTypes(*pool);
    if (!pool_catalog) continue;
    if (unavailable != nullptr) {
      pool_catalog = WithUnavailableOfferings(std::move(pool_catalog), *unavailable, now);
    }
    // What the NodePool already has counts against its limits (nodes and in-flight claims).
    core::ResourceList in_use;
    int64_t nodes = 0;
    for (const scheduling::ExistingNode& node : input.existing_nodes) {
      if (node.node_pool != pool->metadata.name) continue;
      in_use.Add(node.capacity);
      ++nodes;
    }
    in_use.Set("nodes", core::Quantity::FromInt(nodes));
    result.catalogs.push_back(pool_catalog);
    input.node_pools.push_back({pool.get(), result.catalogs.back().get(), std::move(in_use)});
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
