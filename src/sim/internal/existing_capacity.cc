// Existing capacity: registered Nodes, and NodeClaims still on their way (in flight).
#include <map>
#include <set>
#include <string>

#include "catalog/labels.h"
#include "core/requirement.h"
#include "scheduling/well_known.h"
#include "sim/internal/snapshot_parts.h"

namespace karpenter::sim::internal {
namespace {

constexpr std::string_view kInitializedLabel = "karpenter.sh/initialized";
constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

// Karpenter's disruption taint: the node is on its way out.
bool HasDisruptedTaint(const std::vector<core::Taint>& taints) {
  for (const core::Taint& taint : taints) {
    if (taint.key == kDisruptedTaintKey && taint.effect == core::TaintEffect::NoSchedule) {
      return true;
    }
  }
  return false;
}

// NodeClaims by the node they name in status.nodeName and by providerID, to join them to
// their Nodes.
class ClaimIndex {
 public:
  explicit ClaimIndex(const Objects& objects) {
    for (const api::NodeClaim& claim : objects.node_claims) {
      if (!claim.status.node_name.empty()) by_node_.try_emplace(claim.status.node_name, &claim);
      if (!claim.status.provider_id.empty()) {
        by_provider_id_.try_emplace(claim.status.provider_id, &claim);
      }
    }
  }

  // The NodeClaim `node` was launched for, or nullptr.
  const api::NodeClaim* ClaimOf(const api::Node& node) const {
    if (auto it = by_node_.find(node.metadata.name); it != by_node_.end()) return it->second;
    if (node.spec.provider_id.empty()) return nullptr;
    auto it = by_provider_id_.find(node.spec.provider_id);
    return it == by_provider_id_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, const api::NodeClaim*> by_node_;
  std::map<std::string, const api::NodeClaim*> by_provider_id_;
};

// Capacity and allocatable as reported, else the instance type's (found by its label).
void FillResources(const Snapshot& snapshot, const std::string& object,
                   scheduling::ExistingNode& node, std::vector<api::Diagnostic>& diagnostics) {
  if (node.allocatable.empty()) node.allocatable = node.capacity;
  if (!node.allocatable.empty()) {
    if (node.capacity.empty()) node.capacity = node.allocatable;
    return;
  }
  const std::string type_name = LabelOr(node.labels, catalog::kLabelInstanceType);
  if (const catalog::InstanceType* type = FindInstanceType(snapshot, node.node_pool, type_name)) {
    node.capacity = type->capacity();
    node.allocatable = type->allocatable();
    return;
  }
  diagnostics.push_back(ObjectDiagnostic(
      api::Severity::kWarning, object,
      "has neither capacity nor allocatable, nor an instance type the catalog knows: no pod "
      "will be placed on it"));
}

scheduling::ExistingNode FromNode(const Snapshot& snapshot, const api::Node& node,
                                  const api::NodeClaim* claim,
                                  std::vector<api::Diagnostic>& diagnostics) {
  scheduling::ExistingNode existing;
  existing.name = node.metadata.name;
  existing.labels = node.metadata.labels;
  existing.labels.try_emplace(std::string(scheduling::kLabelHostname), node.metadata.name);
  existing.node_pool = LabelOr(existing.labels, scheduling::kLabelNodePool);
  if (existing.node_pool.empty() && claim != nullptr) {
    existing.node_pool = LabelOr(claim->metadata.labels, scheduling::kLabelNodePool);
  }
  existing.taints = node.spec.taints;
  existing.capacity = node.status.capacity;
  existing.allocatable = node.status.allocatable;
  // Nodes Karpenter did not launch are initialized by definition; its own are once labelled so
  // (or once their NodeClaim says so).
  const api::Condition* initialized =
      claim ? api::FindCondition(claim->status.conditions, "Initialized") : nullptr;
  existing.initialized = existing.node_pool.empty() ||
                         LabelOr(existing.labels, kInitializedLabel) == "true" ||
                         (initialized != nullptr && initialized->IsTrue());
  existing.marked_for_deletion = node.spec.unschedulable ||
                                 node.metadata.deletion_timestamp.has_value() ||
                                 HasDisruptedTaint(node.spec.taints);
  FillResources(snapshot, "Node/" + node.metadata.name, existing, diagnostics);
  return existing;
}

// A NodeClaim without a Node: what the node will look like once it registers.
scheduling::ExistingNode FromInFlightClaim(const Snapshot& snapshot, const api::NodeClaim& claim,
                                           std::vector<api::Diagnostic>& diagnostics) {
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
  existing.node_pool = LabelOr(existing.labels, scheduling::kLabelNodePool);
  existing.taints = claim.spec.taints;  // startup taints are ignored until the node is ready
  existing.capacity = claim.status.capacity;
  existing.allocatable = claim.status.allocatable;
  existing.initialized = false;
  existing.marked_for_deletion = claim.metadata.deletion_timestamp.has_value();
  FillResources(snapshot, "NodeClaim/" + claim.metadata.name, existing, diagnostics);
  return existing;
}

}  // namespace

void BuildExistingCapacity(Snapshot& snapshot) {
  const Objects& objects = snapshot.objects;
  const ClaimIndex claims(objects);
  std::set<const api::NodeClaim*> joined;
  for (const api::Node& node : objects.nodes) {
    const api::NodeClaim* claim = claims.ClaimOf(node);
    if (claim != nullptr) joined.insert(claim);
    snapshot.existing_nodes.push_back(FromNode(snapshot, node, claim, snapshot.diagnostics));
  }
  for (const api::NodeClaim& claim : objects.node_claims) {
    if (joined.contains(&claim)) continue;
    snapshot.existing_nodes.push_back(FromInFlightClaim(snapshot, claim, snapshot.diagnostics));
  }
  // What each NodePool already has counts against its limits (upstream sums the capacity of
  // its nodes and in-flight NodeClaims).
  for (scheduling::NodePoolOption& option : snapshot.node_pools) {
    core::ResourceList in_use;
    int64_t nodes = 0;
    for (const scheduling::ExistingNode& node : snapshot.existing_nodes) {
      if (node.node_pool != option.node_pool->metadata.name) continue;
      in_use.Add(node.capacity);
      ++nodes;
    }
    in_use.Set("nodes", core::Quantity::FromInt(nodes));
    option.in_use = std::move(in_use);
  }
}

}  // namespace karpenter::sim::internal
