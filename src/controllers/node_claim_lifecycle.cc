// NodeClaimLifecycle: watches, the reconcile's order of steps, launch, liveness and deletion.
// Registration and initialization are in node_claim_registration.cc.
#include "controllers/node_claim_lifecycle.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "controllers/lifecycle_keys.h"
#include "core/requirement.h"

namespace karpenter::controllers {
namespace {

constexpr size_t kMaxMessage = 300;  // upstream truncates condition messages there

std::string Truncate(std::string message) {
  if (message.size() > kMaxMessage) message = message.substr(0, kMaxMessage) + "...";
  return message;
}

kube::ObjectKey Key(const std::string& name) { return kube::ObjectKey{"", name}; }

// The labels a launched NodeClaim carries, in upstream's order of precedence: the instance's,
// then the single-valued requirements', then the NodeClaim's own.
core::Labels LaunchedLabels(const api::NodeClaim& claim, const cloud::Instance& instance) {
  core::Labels labels = instance.labels;
  for (const core::NodeSelectorRequirement& wire : claim.spec.requirements) {
    auto requirement = core::Requirement::From(wire);
    if (!requirement || requirement->EffectiveOperator() != core::Operator::In) continue;
    const std::vector<std::string> values = requirement->Values();
    if (values.size() == 1) labels[wire.key] = values.front();
  }
  for (const auto& [key, value] : claim.metadata.labels) labels[key] = value;
  return labels;
}

}  // namespace

NodeClaimLifecycle::NodeClaimLifecycle(Manager& manager, kube::ClusterPort& cluster,
                                       cloud::CloudProvider& cloud, const core::Clock& clock)
    : manager_(manager), cluster_(cluster), cloud_(cloud), clock_(clock) {}

NodeClaimLifecycle::~NodeClaimLifecycle() {
  if (claim_watch_) cluster_.NodeClaims().Unwatch(*claim_watch_);
  if (node_watch_) cluster_.Nodes().Unwatch(*node_watch_);
}

NodeClaimLifecycle* NodeClaimLifecycle::Register(Manager& manager, kube::ClusterPort& cluster,
                                                 cloud::CloudProvider& cloud,
                                                 const core::Clock& clock) {
  auto owned = std::make_unique<NodeClaimLifecycle>(manager, cluster, cloud, clock);
  NodeClaimLifecycle* controller = owned.get();
  if (manager.Add(std::move(owned)) == nullptr) return nullptr;
  controller->StartWatches();
  return controller;
}

void RegisterNodeClaimLifecycle(Manager& manager, kube::ClusterPort& cluster,
                                cloud::CloudProvider& cloud, const core::Clock& clock) {
  NodeClaimLifecycle::Register(manager, cluster, cloud, clock);
}

void NodeClaimLifecycle::StartWatches() {
  claim_watch_ =
      cluster_.NodeClaims().Watch([this](const kube::WatchEvent<api::NodeClaim>& event) {
        const api::NodeClaim& claim = *event.object;
        const std::string& provider_id = claim.status.provider_id;
        if (event.type == kube::EventType::kDeleted) {
          if (!provider_id.empty()) claims_by_provider_id_.erase(provider_id);
          return;
        }
        if (!provider_id.empty()) claims_by_provider_id_[provider_id] = claim.metadata.name;
        Enqueue(claim.metadata.name);
      });
  node_watch_ = cluster_.Nodes().Watch(
      [this](const kube::WatchEvent<api::Node>& event) { OnNode(*event.object); });
  for (const auto& claim : cluster_.NodeClaims().List()) {
    if (!claim->status.provider_id.empty()) {
      claims_by_provider_id_[claim->status.provider_id] = claim->metadata.name;
    }
    Enqueue(claim->metadata.name);
  }
}

void NodeClaimLifecycle::OnNode(const api::Node& node) {
  if (auto it = claims_by_provider_id_.find(node.spec.provider_id);
      !node.spec.provider_id.empty() && it != claims_by_provider_id_.end()) {
    Enqueue(it->second);
    return;
  }
  for (const api::OwnerReference& owner : node.metadata.owner_references) {
    if (owner.kind == "NodeClaim") Enqueue(owner.name);
  }
}

void NodeClaimLifecycle::Enqueue(const std::string& name, core::Duration delay) {
  manager_.Enqueue(kName, name, delay);
}

ReconcileResult NodeClaimLifecycle::Reconcile(const std::string& key) {
  auto got = cluster_.NodeClaims().Get(Key(key));
  if (!got) return ReconcileResult::Done();
  ClaimPtr claim = *got;
  if (claim->metadata.deletion_timestamp) return Finalize(*claim);
  if (!HasFinalizer(claim->metadata, kTerminationFinalizer)) {
    auto patched = cluster_.NodeClaims().Patch(Key(key), [](api::NodeClaim& object) {
      object.metadata.finalizers.emplace_back(kTerminationFinalizer);
    });
    if (!patched) return ReconcileResult::Done();
    claim = *patched;
  }
  if (auto result = Launch(claim)) return *result;
  if (auto result = Registration(claim)) return *result;
  if (auto result = Initialization(claim)) return *result;
  return ReconcileResult::Done();
}

std::optional<ReconcileResult> NodeClaimLifecycle::Launch(ClaimPtr& claim) {
  if (IsConditionTrue(claim->status.conditions, kConditionLaunched)) return std::nullopt;
  const core::Time now = clock_.Now();
  auto instance = cloud_.Create(*claim);
  if (!instance) {
    // Upstream deletes on insufficient capacity so the provisioner tries other offerings.
    if (instance.error().code == cloud::CloudErrorCode::kInsufficientCapacity) {
      return DeleteClaim(*claim);
    }
    auto patched = cluster_.NodeClaims().Patch(
        Key(claim->metadata.name), [&](api::NodeClaim& object) {
          SetCondition(object.status.conditions, kConditionLaunched, "False", now, "LaunchFailed",
                       Truncate(instance.error().message));
        });
    if (!patched) return ReconcileResult::Done();
    const api::Condition* launched =
        api::FindCondition((*patched)->status.conditions, kConditionLaunched);
    const core::Time since = FromEpochSeconds(launched->last_transition_time.value_or(0));
    const core::Time deadline = since + kLaunchTimeout;
    if (now >= deadline) return DeleteClaim(**patched);
    return ReconcileResult::After(std::min(kLaunchRetry, deadline - now));
  }
  auto patched = cluster_.NodeClaims().Patch(
      Key(claim->metadata.name), [&](api::NodeClaim& object) {
        object.metadata.labels = LaunchedLabels(object, *instance);
        object.status.provider_id = instance->provider_id;
        object.status.image_id = instance->image_id;
        object.status.capacity = instance->capacity;
        object.status.allocatable = instance->allocatable;
        SetCondition(object.status.conditions, kConditionLaunched, "True", now);
      });
  if (!patched) return ReconcileResult::Done();
  claim = *patched;
  claims_by_provider_id_[claim->status.provider_id] = claim->metadata.name;
  return std::nullopt;
}

ReconcileResult NodeClaimLifecycle::DeleteClaim(const api::NodeClaim& claim) {
  (void)cluster_.NodeClaims().Delete(Key(claim.metadata.name));
  // The deletion's own event brings the claim back for its finalizer.
  return ReconcileResult::Done();
}

ReconcileResult NodeClaimLifecycle::Finalize(const api::NodeClaim& claim) {
  if (!HasFinalizer(claim.metadata, kTerminationFinalizer)) return ReconcileResult::Done();
  // a. The Node first: the termination controller drains it and lets it go.
  if (NodePtr node = FindNode(claim)) {
    if (!node->metadata.deletion_timestamp) {
      (void)cluster_.Nodes().Delete(kube::ObjectKey{"", node->metadata.name});
    }
    return ReconcileResult::After(kNodeDeletionPoll);
  }
  // b. Then the instance, until the cloud no longer knows it.
  std::string provider_id = claim.status.provider_id;
  if (provider_id.empty()) {
    for (const cloud::Instance& instance : cloud_.List()) {
      if (instance.node_claim == claim.metadata.name) provider_id = instance.provider_id;
    }
  }
  if (!provider_id.empty()) {
    auto deleted = cloud_.Delete(provider_id);
    if (deleted || deleted.error().code != cloud::CloudErrorCode::kNotFound) {
      const core::Time now = clock_.Now();
      (void)cluster_.NodeClaims().Patch(Key(claim.metadata.name), [&](api::NodeClaim& object) {
        SetCondition(object.status.conditions, kConditionInstanceTerminating, "True", now);
      });
      return ReconcileResult::After(kTerminationPoll);
    }
  }
  // c. Nothing left behind: let the NodeClaim go.
  (void)cluster_.NodeClaims().Patch(Key(claim.metadata.name), [](api::NodeClaim& object) {
    std::erase(object.metadata.finalizers, std::string(kTerminationFinalizer));
  });
  return ReconcileResult::Done();
}

}  // namespace karpenter::controllers
