#include "disruption/snapshot.h"

#include <map>
#include <utility>

#include "api/codec/field_writer.h"

namespace karpenter::disruption {
namespace {

const std::string kEmpty;
const core::Labels kNoLabels;

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

bool ClaimTerminating(const api::NodeClaim& claim) {
  if (claim.metadata.deletion_timestamp) return true;
  const api::Condition* terminating =
      api::FindCondition(claim.status.conditions, "InstanceTerminating");
  return terminating != nullptr && terminating->IsTrue();
}

bool TaintedDisrupted(const api::Node& node) {
  for (const core::Taint& taint : node.spec.taints) {
    if (taint.key == kDisruptedTaintKey && taint.effect == core::TaintEffect::NoSchedule)
      return true;
  }
  return false;
}

// Fills the derived fields from the Node and NodeClaim already set.
void Derive(SnapshotNode& entry) {
  entry.node_pool = LabelOr(entry.Labels(), kNodePoolLabel);
  // As upstream, a managed node is initialized once the Node carries the label; a NodeClaim
  // with no Node is not.
  entry.initialized =
      entry.node != nullptr && LabelOr(entry.node->metadata.labels, kInitializedLabel) == "true";
  entry.deleting = (entry.node_claim && ClaimTerminating(*entry.node_claim)) ||
                   (entry.node && (entry.node->metadata.deletion_timestamp.has_value() ||
                                   TaintedDisrupted(*entry.node)));
}

}  // namespace

std::string FormatTime(Time time) {
  return api::codec::FormatRfc3339(
      std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count());
}

const std::string& SnapshotNode::Name() const {
  if (node) return node->metadata.name;
  if (node_claim) return node_claim->metadata.name;
  return kEmpty;
}

const core::Labels& SnapshotNode::Labels() const {
  if (node) return node->metadata.labels;
  if (node_claim) return node_claim->metadata.labels;
  return kNoLabels;
}

bool SnapshotNode::Ready() const {
  if (!node) return false;
  for (const api::NodeCondition& condition : node->status.conditions) {
    if (condition.type == "Ready") return condition.status == "True";
  }
  return true;
}

const api::NodePool* Snapshot::FindNodePool(std::string_view name) const {
  for (const api::NodePool& pool : node_pools) {
    if (pool.metadata.name == name) return &pool;
  }
  return nullptr;
}

const api::EC2NodeClass* Snapshot::FindNodeClass(std::string_view name) const {
  for (const api::EC2NodeClass& node_class : node_classes) {
    if (node_class.metadata.name == name) return &node_class;
  }
  return nullptr;
}

Snapshot BuildSnapshot(ClusterObjects objects, Time now) {
  Snapshot snapshot;
  snapshot.now = now;
  std::map<std::string, size_t> by_provider_id;
  std::map<std::string, size_t> by_name;
  for (Shared<api::Node>& node : objects.nodes) {
    const size_t index = snapshot.nodes.size();
    if (!node->spec.provider_id.empty()) by_provider_id.emplace(node->spec.provider_id, index);
    by_name.emplace(node->metadata.name, index);
    SnapshotNode entry;
    entry.node = std::move(node);
    snapshot.nodes.push_back(std::move(entry));
  }
  for (Shared<api::NodeClaim>& claim : objects.node_claims) {
    const api::NodeClaimStatus& status = claim->status;
    std::optional<size_t> match;
    if (auto it = by_provider_id.find(status.provider_id);
        !status.provider_id.empty() && it != by_provider_id.end()) {
      match = it->second;
    } else if (auto named = by_name.find(status.node_name);
               !status.node_name.empty() && named != by_name.end()) {
      match = named->second;
    }
    if (match && !snapshot.nodes[*match].node_claim) {
      snapshot.nodes[*match].node_claim = std::move(claim);
    } else {
      SnapshotNode entry;
      entry.node_claim = std::move(claim);
      snapshot.nodes.push_back(std::move(entry));
    }
  }
  for (Shared<api::Pod>& pod : objects.pods) {
    auto it = by_name.find(pod->spec.node_name);
    if (pod->spec.node_name.empty() || it == by_name.end()) continue;
    snapshot.nodes[it->second].pods.push_back(std::move(pod));
  }
  for (SnapshotNode& entry : snapshot.nodes) Derive(entry);
  for (const std::string& name : objects.nominated_nodes) {
    if (auto it = by_name.find(name); it != by_name.end())
      snapshot.nodes[it->second].nominated = true;
  }
  snapshot.node_pools = std::move(objects.node_pools);
  snapshot.pdbs = std::move(objects.pdbs);
  snapshot.node_classes = std::move(objects.node_classes);
  snapshot.catalog = std::move(objects.catalog);
  return snapshot;
}

}  // namespace karpenter::disruption
