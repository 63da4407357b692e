// The node termination controller (upstream's node/termination controller and its
// terminator): drains a Karpenter node that is being deleted, then lets it go.
//
// Key: the Node's name. For a Node with a deletionTimestamp and the karpenter.sh/termination
// finalizer, each reconcile:
//  1. deletes the Node's NodeClaim when it is not being deleted yet (as upstream: deleting a
//     Node deletes its NodeClaim);
//  2. taints the Node karpenter.sh/disrupted:NoSchedule (replacing another taint of that key)
//     and labels it node.kubernetes.io/exclude-from-external-load-balancers=karpenter;
//  3. once the drain deadline is known (see below), deletes every pod still waiting eviction
//     whose own terminationGracePeriodSeconds no longer fits before it, so the pod gets its
//     full grace period before the node goes (upstream DeleteExpiringPods);
//  4. evicts, through the Eviction subresource (so PodDisruptionBudgets apply), the evictable
//     pods of the first non-empty group of: non-critical non-DaemonSet pods, non-critical
//     DaemonSet pods, critical non-DaemonSet pods, critical DaemonSet pods (critical: priority
//     class system-cluster-critical or system-node-critical). One group per reconcile: the next
//     group goes once the earlier one is gone, as upstream's Evict picks the first non-empty
//     list each time. Evictable (disruption::IsEvictable): active, not tolerating the disrupted
//     taint, not a mirror pod, no active karpenter.sh/do-not-disrupt;
//  5. when no pod waits eviction any more, removes the finalizer. Waiting eviction: not
//     terminal, not tolerating the disrupted taint, not a mirror pod, and not terminating for
//     more than kStuckTerminatingAfter. do-not-disrupt pods do wait: they hold the node until
//     they leave or the deadline deletes them.
// The drain deadline is the NodeClaim's deletionTimestamp (else the Node's) plus the
// NodeClaim's spec.terminationGracePeriod; without a grace period there is none and blocked
// pods hold the node for ever, as upstream.
//
// Differences from upstream, on purpose: the cloud instance is not terminated here (the
// NodeClaim lifecycle controller terminates it and deletes the Node once the finalizer is
// gone); there is no separate rate-limited eviction queue (a refused eviction, 429, is retried
// by requeueing the node after kDrainPollInterval); volume attachments are not waited for; a
// NotReady node whose instance is gone is not short-cut (the controller has no cloud port);
// force deletion happens at the deadline minus the pod's grace period inclusive (upstream:
// strictly after), so virtual time need not overshoot.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/pod.h"
#include "controllers/controller.h"
#include "controllers/lifecycle_keys.h"  // kTerminationFinalizer
#include "controllers/manager.h"
#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::controllers {

inline constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";
inline constexpr std::string_view kExcludeFromLoadBalancersLabel =
    "node.kubernetes.io/exclude-from-external-load-balancers";

// The four drain groups, in eviction order.
enum class DrainGroup {
  kNonCriticalNonDaemon = 0,
  kNonCriticalDaemon = 1,
  kCriticalNonDaemon = 2,
  kCriticalDaemon = 3,
};

// Which group `pod` is evicted in.
DrainGroup DrainGroupOf(const api::Pod& pod);
// Whether the node's drain still waits for `pod` at `now` (see the file comment).
bool IsWaitingEviction(const api::Pod& pod, core::Time now);
// When the drain deadline of a node falls, or nullopt when there is none: the NodeClaim's
// deletionTimestamp (else `node`'s) plus its spec.terminationGracePeriod. `claim` may be null.
std::optional<core::Time> DrainDeadline(const api::Node& node, const api::NodeClaim* claim);

class TerminationController final : public Controller {
 public:
  static constexpr std::string_view kName = "node.termination";
  // How often a draining node is looked at while evictions are in flight or refused
  // (upstream requeues a draining node every second).
  static constexpr core::Duration kDrainPollInterval = std::chrono::seconds(1);
  // A pod terminating longer than this no longer holds the node (upstream's one-minute
  // buffer past deletion).
  static constexpr core::Duration kStuckTerminatingAfter = std::chrono::minutes(1);

  // `cluster` and `clock` must outlive the controller.
  TerminationController(kube::ClusterPort& cluster, const core::Clock& clock)
      : cluster_(cluster), clock_(clock) {}

  std::string_view Name() const override { return kName; }
  // Drains the node named `key` one step (see the file comment). Requeues after
  // kDrainPollInterval while evictions are in progress or refused, at the next force-deletion
  // time while only blocked pods remain, and not at all once the finalizer is gone (pod
  // watches bring the node back when its pods change).
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  const api::NodeClaim* FindClaim(const api::Node& node,
                                  const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims) const;
  // Adds the disrupted taint and the load-balancer label when missing.
  bool Taint(const api::Node& node);
  std::set<kube::ObjectKey> DeleteExpiringPods(const std::string& node, core::Time deadline,
                                               core::Time now,
                                               const std::function<void(core::Time)>& wake_at);
  ReconcileResult Drain(const api::Node& node, std::optional<core::Time> deadline);

  kube::ClusterPort& cluster_;
  const core::Clock& clock_;
};

// Adds a TerminationController to `manager` and watches: a Node event enqueues the Node when
// it is being deleted and has the termination finalizer; a Pod event enqueues the Pod's node
// when that node is being deleted. The controller holds the watches: they stop when `manager`
// (which owns it) goes.
void RegisterTermination(Manager& manager, kube::ClusterPort& cluster, const core::Clock& clock);

}  // namespace karpenter::controllers
