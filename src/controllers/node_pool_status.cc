#include "controllers/node_pool_status.h"

#include <map>
#include <memory>
#include <set>
#include <utility>

#include "controllers/lifecycle_keys.h"
#include "disruption/nodepool_hash.h"
#include "disruption/snapshot.h"

namespace karpenter::controllers {
namespace {

using kube::ObjectPtr;

const std::string& PoolOf(const api::ObjectMeta& metadata) {
  static const std::string kNone;
  auto it = metadata.labels.find(std::string(kNodePoolLabel));
  return it == metadata.labels.end() ? kNone : it->second;
}

bool IsInitialized(const api::Node& node) {
  auto it = node.metadata.labels.find(std::string(kInitializedLabel));
  return it != node.metadata.labels.end() && it->second == "true";
}

// Upstream's StateNode capacity: the Node's once initialized; before that the Node's with
// what it lacks (or reports as zero) filled in from the NodeClaim.
core::ResourceList CapacityOf(const api::NodeClaim& claim, const api::Node* node) {
  if (node == nullptr) return claim.status.capacity;
  if (IsInitialized(*node)) return node->status.capacity;
  core::ResourceList capacity = node->status.capacity;
  for (const auto& [name, quantity] : claim.status.capacity) {
    const core::Quantity* reported = capacity.Find(name);
    if (reported == nullptr || reported->IsZero()) capacity.Set(name, quantity);
  }
  return capacity;
}

core::ResourceList BaseResources() {
  const core::Quantity zero = core::Quantity::FromInt(0);
  return {{core::kCPU, zero},
          {core::kMemory, zero},
          {core::kPods, zero},
          {core::kEphemeralStorage, zero},
          {"nodes", zero}};
}

std::map<std::string, std::string> HashAnnotations(const api::NodePool& pool) {
  return {{std::string(disruption::kNodePoolHashAnnotation),
           disruption::NodePoolTemplateHash(pool)},
          {std::string(disruption::kNodePoolHashVersionAnnotation),
           std::string(disruption::kNodePoolHashVersion)}};
}

}  // namespace

core::ResourceList NodePoolResources(const std::string& pool,
                                     const std::vector<ObjectPtr<api::NodeClaim>>& claims,
                                     const std::vector<ObjectPtr<api::Node>>& nodes) {
  std::map<std::string_view, const api::Node*> by_provider_id;
  for (const ObjectPtr<api::Node>& node : nodes) {
    if (!node->spec.provider_id.empty()) by_provider_id.emplace(node->spec.provider_id, node.get());
  }
  core::ResourceList total = BaseResources();
  int64_t count = 0;
  auto add = [&](const core::ResourceList& capacity) {
    if (capacity.empty()) return;
    total.Add(capacity);
    ++count;
  };
  std::set<std::string_view> claimed_ids;
  for (const ObjectPtr<api::NodeClaim>& claim : claims) {
    const std::string& id = claim->status.provider_id;
    if (id.empty()) continue;  // not launched: no node yet, as upstream's cluster state
    claimed_ids.insert(id);
    if (PoolOf(claim->metadata) != pool || claim->metadata.deletion_timestamp) continue;
    auto node = by_provider_id.find(id);
    const api::Node* joined = node == by_provider_id.end() ? nullptr : node->second;
    if (joined != nullptr && joined->metadata.deletion_timestamp) continue;
    add(CapacityOf(*claim, joined));
  }
  for (const ObjectPtr<api::Node>& node : nodes) {
    if (PoolOf(node->metadata) != pool || node->metadata.deletion_timestamp ||
        claimed_ids.contains(node->spec.provider_id)) {
      continue;
    }
    add(node->status.capacity);
  }
  total.Set("nodes", core::Quantity::FromInt(count));
  return total;
}

NodePoolStatusController::~NodePoolStatusController() {
  if (pool_watch_) cluster_.NodePools().Unwatch(*pool_watch_);
  if (claim_watch_) cluster_.NodeClaims().Unwatch(*claim_watch_);
  if (node_watch_) cluster_.Nodes().Unwatch(*node_watch_);
}

NodePoolStatusController* NodePoolStatusController::Register(Manager& manager,
                                                             kube::ClusterPort& cluster) {
  auto owned = std::make_unique<NodePoolStatusController>(cluster);
  NodePoolStatusController* controller = owned.get();
  if (manager.Add(std::move(owned)) == nullptr) return nullptr;
  controller->StartWatches(manager);
  return controller;
}

void RegisterNodePoolStatus(Manager& manager, kube::ClusterPort& cluster,
                            const core::Clock& /*clock*/) {
  NodePoolStatusController::Register(manager, cluster);
}

void NodePoolStatusController::StartWatches(Manager& manager) {
  auto enqueue = [&manager](const api::ObjectMeta& metadata) {
    const std::string& pool = PoolOf(metadata);
    if (!pool.empty()) manager.Enqueue(kName, pool);
  };
  pool_watch_ = cluster_.NodePools().Watch([&manager](const kube::WatchEvent<api::NodePool>& e) {
    if (e.type != kube::EventType::kDeleted) manager.Enqueue(kName, e.object->metadata.name);
  });
  claim_watch_ = cluster_.NodeClaims().Watch(
      [enqueue](const kube::WatchEvent<api::NodeClaim>& e) { enqueue(e.object->metadata); });
  node_watch_ = cluster_.Nodes().Watch(
      [enqueue](const kube::WatchEvent<api::Node>& e) { enqueue(e.object->metadata); });
  for (const ObjectPtr<api::NodePool>& pool : cluster_.NodePools().List()) {
    manager.Enqueue(kName, pool->metadata.name);
  }
}

ReconcileResult NodePoolStatusController::Reconcile(const std::string& key) {
  auto got = cluster_.NodePools().Get({"", key});
  if (!got) return ReconcileResult::Done();
  const api::NodePool& pool = **got;
  if (pool.metadata.deletion_timestamp) return ReconcileResult::Done();

  const std::map<std::string, std::string> hash = HashAnnotations(pool);
  const auto version = pool.metadata.annotations.find(
      std::string(disruption::kNodePoolHashVersionAnnotation));
  if (version == pool.metadata.annotations.end() ||
      version->second != disruption::kNodePoolHashVersion) {
    RestampNodeClaims(pool);
  }

  const core::ResourceList resources =
      NodePoolResources(key, cluster_.NodeClaims().List(), cluster_.Nodes().List());
  const int64_t nodes = resources.Get("nodes").Value();
  bool stale = pool.status.resources != resources || pool.status.nodes != nodes;
  for (const auto& [name, value] : hash) {
    auto it = pool.metadata.annotations.find(name);
    stale = stale || it == pool.metadata.annotations.end() || it->second != value;
  }
  if (!stale) return ReconcileResult::Done();
  // A patch without resourceVersion: the counts are recomputed from scratch each time, so a
  // concurrent writer cannot be overwritten with anything staler than what it wrote.
  (void)cluster_.NodePools().Patch({"", key}, [&](api::NodePool& stored) {
    for (const auto& [name, value] : hash) stored.metadata.annotations[name] = value;
    stored.status.resources = resources;
    stored.status.nodes = nodes;
  });
  return ReconcileResult::Done();
}

void NodePoolStatusController::RestampNodeClaims(const api::NodePool& pool) {
  for (const ObjectPtr<api::NodeClaim>& claim : cluster_.NodeClaims().List()) {
    if (PoolOf(claim->metadata) != pool.metadata.name) continue;
    auto annotations = disruption::RestampAnnotations(pool, *claim);
    if (!annotations) continue;
    (void)cluster_.NodeClaims().Patch({"", claim->metadata.name}, [&](api::NodeClaim& stored) {
      for (auto& [name, value] : *annotations) stored.metadata.annotations[name] = value;
    });
  }
}

}  // namespace karpenter::controllers
