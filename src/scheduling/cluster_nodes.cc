#include "scheduling/cluster_nodes.h"

#include <algorithm>

#include "core/requirement.h"
#include "scheduling/topology.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

constexpr std::string_view kConditionInitialized = "Initialized";

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

// Either of capacity and allocatable stands for the other when only one is reported.
void FillEachOther(ExistingNode& node) {
  if (node.allocatable.empty()) node.allocatable = node.capacity;
  if (node.capacity.empty()) node.capacity = node.allocatable;
}

}  // namespace

bool HasDisruptedTaint(const std::vector<core::Taint>& taints) {
  return std::ranges::any_of(taints, [](const core::Taint& taint) {
    return taint.key == kDisruptedTaintKey && taint.effect == core::TaintEffect::NoSchedule;
  });
}

core::Requirements NodeRequirements(const ExistingNode& node) {
  core::Requirements requirements = core::Requirements::FromNodeSelector(node.labels);
  const std::string hostname(kLabelHostname);
  requirements.Add(core::Requirement::Equals(hostname, *NodeDomain(node, hostname)));
  return requirements;
}

void NodeRequirementsCache::Fill(std::vector<ExistingNode>& nodes) {
  ++fill_;
  for (ExistingNode& node : nodes) {
    auto [it, added] = by_name_.try_emplace(node.name);
    Entry& entry = it->second;
    if (added || entry.labels != node.labels) {
      entry.labels = node.labels;
      entry.requirements = std::make_shared<const core::Requirements>(NodeRequirements(node));
    }
    node.requirements = entry.requirements;
    entry.fill = fill_;
  }
  std::erase_if(by_name_, [this](const auto& named) { return named.second.fill != fill_; });
}

void NodeClaimIndex::Add(const api::NodeClaim& claim) {
  if (!claim.status.node_name.empty()) by_node_.try_emplace(claim.status.node_name, &claim);
  if (!claim.status.provider_id.empty())
    by_provider_id_.try_emplace(claim.status.provider_id, &claim);
}

const api::NodeClaim* NodeClaimIndex::ClaimOf(const api::Node& node) const {
  if (auto it = by_node_.find(node.metadata.name); it != by_node_.end()) return it->second;
  if (node.spec.provider_id.empty()) return nullptr;
  auto it = by_provider_id_.find(node.spec.provider_id);
  return it == by_provider_id_.end() ? nullptr : it->second;
}

ExistingNode ExistingNodeOf(const api::Node& node, const api::NodeClaim* claim) {
  ExistingNode existing;
  existing.name = node.metadata.name;
  existing.labels = node.metadata.labels;
  existing.labels.try_emplace(std::string(kLabelHostname), node.metadata.name);
  existing.node_pool = LabelOr(existing.labels, kLabelNodePool);
  if (existing.node_pool.empty() && claim != nullptr) {
    existing.node_pool = LabelOr(claim->metadata.labels, kLabelNodePool);
  }
  existing.taints = node.spec.taints;
  existing.capacity = node.status.capacity;
  existing.allocatable = node.status.allocatable;
  FillEachOther(existing);
  const api::Condition* initialized =
      claim ? api::FindCondition(claim->status.conditions, kConditionInitialized) : nullptr;
  existing.initialized = existing.node_pool.empty() ||
                         LabelOr(existing.labels, kLabelInitialized) == "true" ||
                         (initialized != nullptr && initialized->IsTrue());
  existing.marked_for_deletion = node.spec.unschedulable ||
                                 node.metadata.deletion_timestamp.has_value() ||
                                 HasDisruptedTaint(node.spec.taints) ||
                                 (claim != nullptr && claim->metadata.deletion_timestamp);
  return existing;
}

ExistingNode ExistingNodeOfInFlightClaim(const api::NodeClaim& claim) {
  ExistingNode existing;
  existing.name = claim.metadata.name;
  for (const core::NodeSelectorRequirement& wire : claim.spec.requirements) {
    auto requirement = core::Requirement::From(wire);
    if (!requirement || requirement->EffectiveOperator() != core::Operator::In) continue;
    const std::vector<std::string> values = requirement->Values();
    if (values.size() == 1) existing.labels[wire.key] = values.front();
  }
  for (const auto& [key, value] : claim.metadata.labels) existing.labels[key] = value;
  existing.labels.try_emplace(std::string(kLabelHostname), claim.metadata.name);
  existing.node_pool = LabelOr(existing.labels, kLabelNodePool);
  existing.taints = claim.spec.taints;  // startup taints go before pods need to tolerate them
  existing.capacity = claim.status.capacity;
  existing.allocatable = claim.status.allocatable;
  FillEachOther(existing);
  existing.initialized = false;
  existing.marked_for_deletion = claim.metadata.deletion_timestamp.has_value();
  return existing;
}

core::ResourceList CapacityInUse(const std::vector<ExistingNode>& nodes,
                                 std::string_view node_pool) {
  core::ResourceList in_use;
  int64_t count = 0;
  for (const ExistingNode& node : nodes) {
    if (node.node_pool != node_pool) continue;
    in_use.Add(node.capacity);
    ++count;
  }
  in_use.Set("nodes", core::Quantity::FromInt(count));
  return in_use;
}

}  // namespace karpenter::scheduling
