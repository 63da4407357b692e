#include "controllers/pod_events.h"

#include <memory>
#include <utility>

#include "controllers/lifecycle_keys.h"
#include "disruption/pod_rules.h"

namespace karpenter::controllers {
namespace {

kube::ObjectKey KeyOf(const api::Pod& pod) {
  return {pod.metadata.namespace_, pod.metadata.name};
}

}  // namespace

PodEventsController::PodEventsController(Manager& manager, kube::ClusterPort& cluster,
                                         const core::Clock& clock, PodEventsOptions options)
    : manager_(manager), cluster_(cluster), clock_(clock), options_(options) {}

PodEventsController::~PodEventsController() {
  if (pod_watch_) cluster_.Pods().Unwatch(*pod_watch_);
  if (claim_watch_) cluster_.NodeClaims().Unwatch(*claim_watch_);
}

PodEventsController* PodEventsController::Register(Manager& manager, kube::ClusterPort& cluster,
                                                   const core::Clock& clock,
                                                   PodEventsOptions options) {
  auto owned = std::make_unique<PodEventsController>(manager, cluster, clock, options);
  PodEventsController* controller = owned.get();
  if (manager.Add(std::move(owned)) == nullptr) return nullptr;
  controller->StartWatches();
  return controller;
}

void RegisterPodEvents(Manager& manager, kube::ClusterPort& cluster, const core::Clock& clock) {
  PodEventsController::Register(manager, cluster, clock);
}

void PodEventsController::StartWatches() {
  // As an informer's initial list: what is already there is state, not an event.
  for (const auto& pod : cluster_.Pods().List()) {
    pods_[KeyOf(*pod)] = {pod->spec.node_name, disruption::IsTerminal(*pod),
                          disruption::IsTerminating(*pod)};
  }
  for (const auto& claim : cluster_.NodeClaims().List()) {
    if (!claim->status.node_name.empty()) {
      claim_of_node_[claim->status.node_name] = claim->metadata.name;
    }
  }
  pod_watch_ = cluster_.Pods().Watch(
      [this](const kube::WatchEvent<api::Pod>& event) { OnPod(event); });
  claim_watch_ = cluster_.NodeClaims().Watch(
      [this](const kube::WatchEvent<api::NodeClaim>& event) { OnNodeClaim(event); });
}

void PodEventsController::OnPod(const kube::WatchEvent<api::Pod>& event) {
  const api::Pod& pod = *event.object;
  const kube::ObjectKey key = KeyOf(pod);
  PodState before;
  if (auto it = pods_.find(key); it != pods_.end()) before = it->second;
  const PodState now{pod.spec.node_name, disruption::IsTerminal(pod),
                     disruption::IsTerminating(pod)};
  bool event_happened = false;
  if (event.type == kube::EventType::kDeleted) {
    pods_.erase(key);
    // Leaving without passing through terminal or terminating first is the event itself.
    event_happened = !now.node.empty() && !before.terminal && !before.terminating &&
                     !now.terminal && !now.terminating;
  } else {
    pods_[key] = now;
    const bool bound = !now.node.empty() && before.node.empty();
    const bool went_terminal = !now.node.empty() && now.terminal && !before.terminal;
    const bool went_terminating = !now.node.empty() && now.terminating && !before.terminating;
    event_happened = bound || went_terminal || went_terminating;
  }
  if (!event_happened || disruption::IsOwnedByDaemonSet(pod)) return;
  manager_.Enqueue(kName, now.node);
}

void PodEventsController::OnNodeClaim(const kube::WatchEvent<api::NodeClaim>& event) {
  const api::NodeClaim& claim = *event.object;
  if (claim.status.node_name.empty()) return;
  if (event.type == kube::EventType::kDeleted) {
    auto it = claim_of_node_.find(claim.status.node_name);
    if (it != claim_of_node_.end() && it->second == claim.metadata.name) claim_of_node_.erase(it);
    return;
  }
  claim_of_node_[claim.status.node_name] = claim.metadata.name;
}

kube::ObjectPtr<api::NodeClaim> PodEventsController::ClaimOfNode(const std::string& node) const {
  if (auto it = claim_of_node_.find(node); it != claim_of_node_.end()) {
    if (auto claim = cluster_.NodeClaims().Get({"", it->second})) return *claim;
  }
  // Not registered under that name yet (or the index missed it): match the providerID.
  auto got = cluster_.Nodes().Get({"", node});
  if (!got || (*got)->spec.provider_id.empty()) return nullptr;
  for (const auto& claim : cluster_.NodeClaims().List()) {
    if (claim->status.provider_id == (*got)->spec.provider_id) return claim;
  }
  return nullptr;
}

ReconcileResult PodEventsController::Reconcile(const std::string& key) {
  kube::ObjectPtr<api::NodeClaim> claim = ClaimOfNode(key);
  if (claim == nullptr) return ReconcileResult::Done();  // not a node Karpenter launched
  const core::Time now = clock_.Now();
  const std::optional<int64_t>& last = claim->status.last_pod_event_time;
  if (last && now - FromEpochSeconds(*last) < options_.dedupe) return ReconcileResult::Done();
  const int64_t stamp = EpochSeconds(now);
  if (last == stamp) return ReconcileResult::Done();
  auto patched = cluster_.NodeClaims().Patch(
      {"", claim->metadata.name},
      [stamp](api::NodeClaim& stored) { stored.status.last_pod_event_time = stamp; });
  if (patched) ++writes_;
  return ReconcileResult::Done();
}

}  // namespace karpenter::controllers
