// PodEvents: records on each NodeClaim when a pod last arrived on or left its node
// (status.lastPodEventTime), the clock consolidateAfter counts from (disruption/emptiness.h
// ConsolidatableAt). Mirrors upstream's nodeclaim podevents controller as of v1.0–v1.3.
//
// A pod event on node N is one of: a pod becomes bound to N (created bound, or its spec.nodeName
// set), a pod bound to N turns terminal (Succeeded/Failed) or terminating (deletionTimestamp),
// or a pod bound to N leaves the store while neither (the in-memory cluster deletes a pod
// without finalizers at once, so no terminating state is seen first). DaemonSet pods are
// ignored, as upstream.
//
// Key: the node's name. The reconcile finds the NodeClaim of the node (status.nodeName, else the
// Node's providerID) and sets lastPodEventTime to now, unless it already holds a time less than
// `dedupe` ago: as upstream, writes are deduplicated so a busy node does not write on every pod
// (upstream's window is 10 s, deliberately shorter than consolidation's 15 s validation, so a
// command decided during the window is still invalidated).
//
// State: the last seen state of each pod (to tell a new binding from any other change) and the
// NodeClaim of each node, both rebuilt from the ports at Register. Pods already bound when the
// controller starts are not events (upstream's restart reset every NodeClaim's clock; that was
// reported as a bug, kubernetes-sigs/karpenter#1965).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/model/node_claim.h"
#include "api/model/pod.h"
#include "controllers/controller.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::controllers {

struct PodEventsOptions {
  // A NodeClaim whose lastPodEventTime is younger than this is not written again.
  core::Duration dedupe = std::chrono::seconds(10);
};

class PodEventsController final : public Controller {
 public:
  static constexpr std::string_view kName = "nodeclaim.podevents";

  // Prefer Register(). The cluster and the clock must outlive the controller.
  PodEventsController(Manager& manager, kube::ClusterPort& cluster, const core::Clock& clock,
                      PodEventsOptions options = {});
  ~PodEventsController() override;
  PodEventsController(const PodEventsController&) = delete;
  PodEventsController& operator=(const PodEventsController&) = delete;

  // Adds the controller to `manager` and starts its watches (pods, NodeClaims) after listing
  // both. Returns it (owned by the manager), or nullptr when the manager already has one.
  static PodEventsController* Register(Manager& manager, kube::ClusterPort& cluster,
                                       const core::Clock& clock, PodEventsOptions options = {});

  std::string_view Name() const override { return kName; }
  // Marks the NodeClaim of node `key` (see the file comment). Never requeues.
  ReconcileResult Reconcile(const std::string& key) override;

  // Writes made so far (for tests: the dedupe window saves writes).
  size_t writes() const { return writes_; }

 private:
  struct PodState {
    std::string node;
    bool terminal = false;
    bool terminating = false;
  };

  void StartWatches();
  void OnPod(const kube::WatchEvent<api::Pod>& event);
  void OnNodeClaim(const kube::WatchEvent<api::NodeClaim>& event);
  // The NodeClaim of node `node`, or nullptr.
  kube::ObjectPtr<api::NodeClaim> ClaimOfNode(const std::string& node) const;

  Manager& manager_;
  kube::ClusterPort& cluster_;
  const core::Clock& clock_;
  PodEventsOptions options_;
  std::map<kube::ObjectKey, PodState> pods_;
  // Node name -> NodeClaim name, from the claims' status.nodeName.
  std::map<std::string, std::string, std::less<>> claim_of_node_;
  std::optional<kube::WatchId> pod_watch_, claim_watch_;
  size_t writes_ = 0;
};

// Adds the pod events controller to `manager` with default options.
void RegisterPodEvents(Manager& manager, kube::ClusterPort& cluster, const core::Clock& clock);

}  // namespace karpenter::controllers
