#include "controllers/garbage_collection.h"

#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "controllers/lifecycle_keys.h"

namespace karpenter::controllers {
namespace {

using kube::ObjectPtr;

bool IsLive(const cloud::Instance& instance) {
  return instance.state == cloud::InstanceState::kPending ||
         instance.state == cloud::InstanceState::kRunning;
}

bool IsNodeReady(const api::Node& node) {
  for (const api::NodeCondition& condition : node.status.conditions) {
    if (condition.type == "Ready") return condition.status == "True";
  }
  return false;
}

// Names taken from a list of NodeClaims, viewing into it (keep the list alive). Sets of views,
// not of built strings: a large cluster's 2,000 claims are looked at every two minutes.
using Names = std::unordered_set<std::string_view>;

const std::string kNodePoolKey(kNodePoolLabel);

}  // namespace

GarbageCollectionController* GarbageCollectionController::Register(Manager& manager,
                                                                   kube::ClusterPort& cluster,
                                                                   cloud::CloudProvider& cloud,
                                                                   const core::Clock& clock) {
  auto owned = std::make_unique<GarbageCollectionController>(cluster, cloud, clock);
  GarbageCollectionController* controller = owned.get();
  if (manager.Add(std::move(owned)) == nullptr) return nullptr;
  manager.Enqueue(kName, std::string(kKey));
  return controller;
}

void RegisterGarbageCollection(Manager& manager, kube::ClusterPort& cluster,
                               cloud::CloudProvider& cloud, const core::Clock& clock) {
  GarbageCollectionController::Register(manager, cluster, cloud, clock);
}

ReconcileResult GarbageCollectionController::Reconcile(const std::string& /*key*/) {
  // As upstream, the cloud is listed before the cluster: an instance launched after the
  // listing cannot be mistaken for a leak.
  std::vector<LiveInstance> instances;
  cloud_.ForEachInstance([&instances](const cloud::Instance& instance) {
    if (IsLive(instance)) {
      instances.push_back({instance.provider_id, instance.node_claim, instance.launch_time});
    }
  });
  CollectInstances(instances);
  CollectNodeClaims(instances);
  CollectNodes();
  ++counts_.passes;
  return ReconcileResult::After(counts_.passes <= kStartupPasses ? kStartupInterval : kInterval);
}

void GarbageCollectionController::CollectInstances(const std::vector<LiveInstance>& instances) {
  // A claim holds its instance by provider ID once launched, by its own name before.
  const std::vector<ObjectPtr<api::NodeClaim>> claims = cluster_.NodeClaims().List();
  Names claimed_ids;
  Names unlaunched_claims;
  for (const ObjectPtr<api::NodeClaim>& claim : claims) {
    if (claim->status.provider_id.empty()) {
      unlaunched_claims.insert(claim->metadata.name);
    } else {
      claimed_ids.insert(claim->status.provider_id);
    }
  }
  const core::Time now = clock_.Now();
  std::vector<ObjectPtr<api::Node>> nodes;
  bool listed = false;
  for (const LiveInstance& instance : instances) {
    if (now - instance.launch_time <= kInstanceGracePeriod) continue;
    if (claimed_ids.contains(instance.provider_id) ||
        unlaunched_claims.contains(instance.node_claim)) {
      continue;
    }
    // kNotFound: terminated meanwhile, which is what was wanted.
    auto deleted = cloud_.Delete(instance.provider_id);
    if (!deleted && deleted.error().code != cloud::CloudErrorCode::kNotFound) continue;
    ++counts_.instances_terminated;
    if (!listed) {
      nodes = cluster_.Nodes().List();
      listed = true;
    }
    // Deleting the Node at once lets its pods be rescheduled sooner, as upstream does.
    for (const ObjectPtr<api::Node>& node : nodes) {
      if (node->spec.provider_id != instance.provider_id || node->metadata.deletion_timestamp) {
        continue;
      }
      if (cluster_.Nodes().Delete({"", node->metadata.name})) ++counts_.nodes_deleted;
    }
  }
}

void GarbageCollectionController::CollectNodeClaims(const std::vector<LiveInstance>& instances) {
  Names live;
  for (const LiveInstance& instance : instances) live.insert(instance.provider_id);
  std::vector<ObjectPtr<api::Node>> nodes;
  bool listed = false;
  for (const ObjectPtr<api::NodeClaim>& claim : cluster_.NodeClaims().List()) {
    // Only registered claims: one that never registered is left to the lifecycle
    // controller's registration timeout, as upstream.
    if (claim->metadata.deletion_timestamp ||
        !IsConditionTrue(claim->status.conditions, kConditionRegistered) ||
        live.contains(claim->status.provider_id)) {
      continue;
    }
    if (!listed) {
      nodes = cluster_.Nodes().List();
      listed = true;
    }
    bool node_ready = false;
    for (const ObjectPtr<api::Node>& node : nodes) {
      const bool same =
          (!claim->status.provider_id.empty() &&
           node->spec.provider_id == claim->status.provider_id) ||
          (!claim->status.node_name.empty() && node->metadata.name == claim->status.node_name);
      if (same && IsNodeReady(*node)) node_ready = true;
    }
    if (node_ready) continue;
    if (cluster_.NodeClaims().Delete({"", claim->metadata.name})) ++counts_.node_claims_deleted;
  }
}

void GarbageCollectionController::CollectNodes() {
  const std::vector<ObjectPtr<api::NodeClaim>> claims = cluster_.NodeClaims().List();
  Names provider_ids;
  Names node_names;
  Names claim_names;
  for (const ObjectPtr<api::NodeClaim>& claim : claims) {
    if (!claim->status.provider_id.empty()) provider_ids.insert(claim->status.provider_id);
    if (!claim->status.node_name.empty()) node_names.insert(claim->status.node_name);
    claim_names.insert(claim->metadata.name);
  }
  const int64_t now = EpochSeconds(clock_.Now());
  const int64_t grace = std::chrono::duration_cast<std::chrono::seconds>(kNodeGracePeriod).count();
  for (const ObjectPtr<api::Node>& node : cluster_.Nodes().List()) {
    const api::ObjectMeta& meta = node->metadata;
    if (!meta.labels.contains(kNodePoolKey) || meta.deletion_timestamp ||
        now - meta.creation_timestamp.value_or(now) <= grace) {
      continue;
    }
    bool owned =
        (!node->spec.provider_id.empty() && provider_ids.contains(node->spec.provider_id)) ||
        node_names.contains(meta.name);
    for (const api::OwnerReference& owner : meta.owner_references) {
      if (owner.kind == "NodeClaim" && claim_names.contains(owner.name)) owned = true;
    }
    if (owned) continue;
    if (cluster_.Nodes().Delete({"", meta.name})) ++counts_.nodes_deleted;
  }
}

}  // namespace karpenter::controllers
