// Existing capacity: registered Nodes, and NodeClaims still on their way (in flight).
#include <map>
#include <set>
#include <string>

#include "catalog/labels.h"
#include "scheduling/cluster_nodes.h"
#include "sim/internal/snapshot_parts.h"

namespace karpenter::sim::internal {
namespace {

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

// Capacity and allocatable as reported, else the instance type's (found by its label).
void FillResources(const Snapshot& snapshot, const std::string& object,
                   scheduling::ExistingNode& node, std::vector<api::Diagnostic>& diagnostics) {
  if (!node.allocatable.empty()) return;
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

}  // namespace

void BuildExistingCapacity(Snapshot& snapshot) {
  const Objects& objects = snapshot.objects;
  scheduling::NodeClaimIndex claims;
  for (const api::NodeClaim& claim : objects.node_claims) claims.Add(claim);
  std::set<const api::NodeClaim*> joined;
  for (const api::Node& node : objects.nodes) {
    const api::NodeClaim* claim = claims.ClaimOf(node);
    if (claim != nullptr) joined.insert(claim);
    scheduling::ExistingNode existing = scheduling::ExistingNodeOf(node, claim);
    FillResources(snapshot, "Node/" + node.metadata.name, existing, snapshot.diagnostics);
    snapshot.existing_nodes.push_back(std::move(existing));
  }
  for (const api::NodeClaim& claim : objects.node_claims) {
    if (joined.contains(&claim)) continue;
    scheduling::ExistingNode existing = scheduling::ExistingNodeOfInFlightClaim(claim);
    FillResources(snapshot, "NodeClaim/" + claim.metadata.name, existing, snapshot.diagnostics);
    snapshot.existing_nodes.push_back(std::move(existing));
  }
  // What each NodePool already has counts against its limits (upstream sums the capacity of
  // its nodes and in-flight NodeClaims).
  for (scheduling::NodePoolOption& option : snapshot.node_pools) {
    option.in_use =
        scheduling::CapacityInUse(snapshot.existing_nodes, option.node_pool->metadata.name);
  }
}

}  // namespace karpenter::sim::internal
