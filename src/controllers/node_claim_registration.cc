// NodeClaimLifecycle: registration (joining the Node) and initialization (the Node is ready
// for pods).
#include <algorithm>
#include <utility>

#include "controllers/lifecycle_keys.h"
#include "controllers/node_claim_lifecycle.h"
#include "scheduling/well_known.h"

namespace karpenter::controllers {
namespace {

kube::ObjectKey Key(const std::string& name) { return kube::ObjectKey{"", name}; }

bool IsWellKnownResource(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || name == "pods";
}

bool NodeReady(const api::Node& node) {
  return std::ranges::any_of(node.status.conditions, [](const api::NodeCondition& condition) {
    return condition.type == "Ready" && condition.status == "True";
  });
}

// Why the Node is not initialized yet, or "" when it is.
std::string NotInitializedBecause(const api::NodeClaim& claim, const api::Node& node) {
  if (!NodeReady(node)) return "node not ready";
  for (const core::Taint& taint : claim.spec.startup_taints) {
    if (HasTaint(node.spec.taints, taint)) return "startup taint " + taint.ToString() + " present";
  }
  for (const core::Taint& taint : node.spec.taints) {
    if (scheduling::IsEphemeralTaint(taint)) return "taint " + taint.ToString() + " present";
  }
  for (const auto& [name, quantity] : claim.spec.resource_requests) {
    if (IsWellKnownResource(name) || quantity.IsZero()) continue;
    if (node.status.allocatable.Get(name).Sign() <= 0) return "resource " + name + " not registered";
  }
  return "";
}

void AddMissingTaints(std::vector<core::Taint>& taints, const std::vector<core::Taint>& wanted) {
  for (const core::Taint& taint : wanted) {
    if (!HasTaint(taints, taint)) taints.push_back(taint);
  }
}

}  // namespace

NodeClaimLifecycle::NodePtr NodeClaimLifecycle::FindNode(const api::NodeClaim& claim) const {
  if (!claim.status.node_name.empty()) {
    if (auto node = cluster_.Nodes().Get(Key(claim.status.node_name))) return *node;
  }
  if (claim.status.provider_id.empty()) return nullptr;
  // A scan: registration runs once per NodeClaim, deletion once more.
  for (const NodePtr& node : cluster_.Nodes().List()) {
    if (node->spec.provider_id == claim.status.provider_id) return node;
  }
  return nullptr;
}

std::optional<ReconcileResult> NodeClaimLifecycle::Registration(ClaimPtr& claim) {
  if (IsConditionTrue(claim->status.conditions, kConditionRegistered)) return std::nullopt;
  const core::Time now = clock_.Now();
  NodePtr node = FindNode(*claim);
  if (!node) {
    // Liveness: upstream gives a node 15 minutes to register.
    const core::Time created = claim->metadata.creation_timestamp
                                   ? FromEpochSeconds(*claim->metadata.creation_timestamp)
                                   : now;
    const core::Time deadline = created + kRegistrationTimeout;
    if (now >= deadline) return DeleteClaim(*claim);
    return ReconcileResult::After(deadline - now);
  }
  if (!SyncNode(*claim, *node)) return ReconcileResult::Done();
  auto patched = cluster_.NodeClaims().Patch(Key(claim->metadata.name), [&](api::NodeClaim& object) {
    object.status.node_name = node->metadata.name;
    SetCondition(object.status.conditions, kConditionRegistered, "True", now);
  });
  if (!patched) return ReconcileResult::Done();
  claim = *patched;
  return std::nullopt;
}

bool NodeClaimLifecycle::SyncNode(const api::NodeClaim& claim, const api::Node& node) {
  auto patched = cluster_.Nodes().Patch(Key(node.metadata.name), [&](api::Node& object) {
    // A Node being deleted may not gain finalizers; the termination controller owns it now.
    if (!object.metadata.deletion_timestamp &&
        !HasFinalizer(object.metadata, kTerminationFinalizer)) {
      object.metadata.finalizers.emplace_back(kTerminationFinalizer);
    }
    const bool owned = std::ranges::any_of(
        object.metadata.owner_references,
        [&](const api::OwnerReference& owner) { return owner.uid == claim.metadata.uid; });
    if (!owned) {
      api::OwnerReference owner;
      owner.api_version = std::string(kKarpenterApiVersion);
      owner.kind = "NodeClaim";
      owner.name = claim.metadata.name;
      owner.uid = claim.metadata.uid;
      owner.block_owner_deletion = true;
      object.metadata.owner_references.push_back(std::move(owner));
    }
    for (const auto& [key, value] : claim.metadata.labels) object.metadata.labels[key] = value;
    object.metadata.labels[std::string(kRegisteredLabel)] = "true";
    for (const auto& [key, value] : claim.metadata.annotations) {
      object.metadata.annotations[key] = value;
    }
    AddMissingTaints(object.spec.taints, claim.spec.taints);
    AddMissingTaints(object.spec.taints, claim.spec.startup_taints);
    std::erase_if(object.spec.taints, [](const core::Taint& taint) {
      return MatchesTaint(taint, UnregisteredTaint());
    });
  });
  return patched.has_value();
}

std::optional<ReconcileResult> NodeClaimLifecycle::Initialization(ClaimPtr& claim) {
  if (IsConditionTrue(claim->status.conditions, kConditionInitialized)) return std::nullopt;
  NodePtr node = FindNode(*claim);
  if (!node) return ReconcileResult::Done();
  // Not ready yet: the Node's next change enqueues the claim again.
  if (!NotInitializedBecause(*claim, *node).empty()) return ReconcileResult::Done();
  auto labelled = cluster_.Nodes().Patch(Key(node->metadata.name), [](api::Node& object) {
    object.metadata.labels[std::string(kInitializedLabel)] = "true";
  });
  if (!labelled) return ReconcileResult::Done();
  const core::Time now = clock_.Now();
  auto patched = cluster_.NodeClaims().Patch(Key(claim->metadata.name), [&](api::NodeClaim& object) {
    SetCondition(object.status.conditions, kConditionInitialized, "True", now);
  });
  if (!patched) return ReconcileResult::Done();
  claim = *patched;
  return std::nullopt;
}

}  // namespace karpenter::controllers
