#include "controllers/termination.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "core/taint.h"
#include "disruption/pod_rules.h"

namespace karpenter::controllers {
namespace {

using kube::ApiErrorCode;
using kube::ObjectKey;
using kube::ObjectPtr;

const core::Taint& DisruptedTaint() {
  static const core::Taint kTaint{std::string(kDisruptedTaintKey), "",
                                  core::TaintEffect::NoSchedule};
  return kTaint;
}

// Upstream leaves pods that tolerate the disrupted taint on the node: they are meant to stay
// until the end (e.g. a pod tolerating every taint).
bool ToleratesDisruptedTaint(const api::Pod& pod) {
  return core::ToleratesAll(pod.spec.tolerations, {DisruptedTaint()}).has_value();
}

ObjectKey KeyOf(const api::Pod& pod) {
  return {pod.metadata.namespace_, pod.metadata.name};
}

bool BeingTerminated(const api::Node& node) {
  return node.metadata.deletion_timestamp.has_value() &&
         HasFinalizer(node.metadata, kTerminationFinalizer);
}

std::vector<ObjectPtr<api::Pod>> PodsOn(kube::ClusterPort& cluster, const std::string& node) {
  std::vector<ObjectPtr<api::Pod>> pods;
  for (ObjectPtr<api::Pod>& pod : cluster.Pods().List()) {
    if (pod->spec.node_name == node) pods.push_back(std::move(pod));
  }
  return pods;
}

}  // namespace

DrainGroup DrainGroupOf(const api::Pod& pod) {
  const std::string& priority_class = pod.spec.priority_class_name;
  const bool critical =
      priority_class == "system-cluster-critical" || priority_class == "system-node-critical";
  const bool daemon = disruption::IsOwnedByDaemonSet(pod);
  if (critical) return daemon ? DrainGroup::kCriticalDaemon : DrainGroup::kCriticalNonDaemon;
  return daemon ? DrainGroup::kNonCriticalDaemon : DrainGroup::kNonCriticalNonDaemon;
}

bool IsWaitingEviction(const api::Pod& pod, core::Time now) {
  if (disruption::IsTerminal(pod) || ToleratesDisruptedTaint(pod) || disruption::IsMirrorPod(pod)) {
    return false;
  }
  const auto& deleted = pod.metadata.deletion_timestamp;
  return !deleted ||
         now - FromEpochSeconds(*deleted) <= TerminationController::kStuckTerminatingAfter;
}

std::optional<core::Time> DrainDeadline(const api::Node& node, const api::NodeClaim* claim) {
  if (claim == nullptr || !claim->spec.termination_grace_period) return std::nullopt;
  std::optional<int64_t> start = claim->metadata.deletion_timestamp;
  if (!start) start = node.metadata.deletion_timestamp;
  if (!start) return std::nullopt;
  return FromEpochSeconds(*start) +
         std::chrono::duration_cast<core::Duration>(*claim->spec.termination_grace_period);
}

const api::NodeClaim* TerminationController::FindClaim(
    const api::Node& node, const std::vector<ObjectPtr<api::NodeClaim>>& claims) const {
  for (const ObjectPtr<api::NodeClaim>& claim : claims) {
    if (claim->status.node_name == node.metadata.name) return claim.get();
  }
  if (node.spec.provider_id.empty()) return nullptr;
  for (const ObjectPtr<api::NodeClaim>& claim : claims) {
    if (claim->status.provider_id == node.spec.provider_id) return claim.get();
  }
  return nullptr;
}

ReconcileResult TerminationController::Reconcile(const std::string& key) {
  auto node = cluster_.Nodes().Get({"", key});
  if (!node || !BeingTerminated(**node)) return ReconcileResult::Done();

  std::vector<ObjectPtr<api::NodeClaim>> claims = cluster_.NodeClaims().List();
  const api::NodeClaim* claim = FindClaim(**node, claims);
  if (claim != nullptr && !claim->metadata.deletion_timestamp) {
    // As upstream, a Node deleted first takes its NodeClaim with it. Read the claim back so
    // the drain deadline counts from its deletion.
    const ObjectKey claim_key{"", claim->metadata.name};
    (void)cluster_.NodeClaims().Delete(claim_key);
    claims = cluster_.NodeClaims().List();
    claim = FindClaim(**node, claims);
  }
  if (!Taint(**node)) return ReconcileResult::After(kDrainPollInterval);
  return Drain(**node, DrainDeadline(**node, claim));
}

bool TerminationController::Taint(const api::Node& node) {
  const bool tainted = std::ranges::find(node.spec.taints, DisruptedTaint()) != node.spec.taints.end();
  auto label = node.metadata.labels.find(std::string(kExcludeFromLoadBalancersLabel));
  const bool labelled = label != node.metadata.labels.end() && label->second == "karpenter";
  if (tainted && labelled) return true;
  auto patched = cluster_.Nodes().Patch({"", node.metadata.name}, [](api::Node& stored) {
    std::erase_if(stored.spec.taints,
                  [](const core::Taint& taint) { return taint.key == kDisruptedTaintKey; });
    stored.spec.taints.push_back(DisruptedTaint());
    stored.metadata.labels[std::string(kExcludeFromLoadBalancersLabel)] = "karpenter";
  });
  return patched.has_value();
}

// Pods whose grace period no longer fits before the deadline are deleted outright, early
// enough to get all of it; the others' deletion times go to `wake_at`.
std::set<ObjectKey> TerminationController::DeleteExpiringPods(
    const std::string& node, core::Time deadline, core::Time now,
    const std::function<void(core::Time)>& wake_at) {
  std::set<ObjectKey> deleted;
  for (const ObjectPtr<api::Pod>& pod : PodsOn(cluster_, node)) {
    if (!IsWaitingEviction(*pod, now) || disruption::IsTerminating(*pod)) continue;
    const core::Time delete_at =
        deadline - std::chrono::seconds(pod->spec.termination_grace_period_seconds);
    if (now < delete_at) {
      wake_at(delete_at);
      continue;
    }
    auto result = cluster_.Pods().Delete(KeyOf(*pod));
    if (result || result.error().code == ApiErrorCode::kNotFound) deleted.insert(KeyOf(*pod));
  }
  return deleted;
}

ReconcileResult TerminationController::Drain(const api::Node& node,
                                             std::optional<core::Time> deadline) {
  const core::Time now = clock_.Now();
  std::optional<core::Time> next_wake;
  auto wake_at = [&next_wake](core::Time time) {
    if (!next_wake || time < *next_wake) next_wake = time;
  };

  std::set<ObjectKey> deleted;
  if (deadline) deleted = DeleteExpiringPods(node.metadata.name, *deadline, now, wake_at);

  // Evict the first non-empty group only; the others wait for the next reconcile.
  std::vector<ObjectPtr<api::Pod>> evictable;
  for (ObjectPtr<api::Pod>& pod : PodsOn(cluster_, node.metadata.name)) {
    if (deleted.contains(KeyOf(*pod)) || !disruption::IsEvictable(*pod, now)) continue;
    evictable.push_back(std::move(pod));
  }
  bool in_progress = false;
  if (!evictable.empty()) {
    DrainGroup group = DrainGroup::kCriticalDaemon;
    for (const ObjectPtr<api::Pod>& pod : evictable) group = std::min(group, DrainGroupOf(*pod));
    for (const ObjectPtr<api::Pod>& pod : evictable) {
      if (DrainGroupOf(*pod) != group) continue;
      // Success, 404 (already gone) or 429 (a budget refuses for now): either way the node
      // is looked at again soon.
      (void)cluster_.Evict(KeyOf(*pod));
    }
    in_progress = true;
  }

  bool waiting = false;
  for (const ObjectPtr<api::Pod>& pod : PodsOn(cluster_, node.metadata.name)) {
    if (!IsWaitingEviction(*pod, now)) continue;
    waiting = true;
    if (const auto& since = pod->metadata.deletion_timestamp) {
      // A pod stuck terminating stops holding the node a minute after its deletion.
      wake_at(FromEpochSeconds(*since) + kStuckTerminatingAfter + std::chrono::seconds(1));
    }
  }
  if (!waiting) {
    (void)cluster_.Nodes().Patch({"", node.metadata.name}, [](api::Node& stored) {
      std::erase(stored.metadata.finalizers, std::string(kTerminationFinalizer));
    });
    return ReconcileResult::Done();
  }
  if (in_progress) return ReconcileResult::After(kDrainPollInterval);
  // Only pods Karpenter may not evict remain (do-not-disrupt, terminating): wake at the next
  // force deletion; pod watches bring the node back sooner when they leave.
  if (next_wake) return ReconcileResult::After(*next_wake - now);
  return ReconcileResult::Done();
}

void RegisterTermination(Manager& manager, kube::ClusterPort& cluster, const core::Clock& clock) {
  Controller* controller = manager.Add(std::make_unique<TerminationController>(cluster, clock));
  if (controller == nullptr) return;
  controller->Hold(kube::ScopedWatch(
      cluster.Nodes(), [&manager](const kube::WatchEvent<api::Node>& event) {
        if (event.type == kube::EventType::kDeleted || !BeingTerminated(*event.object)) return;
        manager.Enqueue(TerminationController::kName, event.object->metadata.name);
      }));
  controller->Hold(kube::ScopedWatch(
      cluster.Pods(), [&manager, &cluster](const kube::WatchEvent<api::Pod>& event) {
        const std::string& node_name = event.object->spec.node_name;
        if (node_name.empty()) return;
        auto node = cluster.Nodes().Get({"", node_name});
        if (!node || !BeingTerminated(**node)) return;
        manager.Enqueue(TerminationController::kName, node_name);
      }));
}

}  // namespace karpenter::controllers
