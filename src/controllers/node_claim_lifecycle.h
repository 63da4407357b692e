// NodeClaimLifecycle: takes each NodeClaim from launch to a ready node and, when it is deleted,
// cleans up behind it, as upstream's nodeclaim lifecycle controller
// (sigs.k8s.io/karpenter pkg/controllers/nodeclaim/lifecycle) does. Key: the NodeClaim's name.
//
// Steps, each done once (a restarted controller picks up where the conditions say):
//  1. Launch: cloud.Create (idempotent on the NodeClaim's name, so a controller that crashed
//     between launching and writing status does not launch twice); status.providerID,
//     imageID, capacity and allocatable and the instance's labels (instance type, zone,
//     capacity type, ...; the NodeClaim's own labels win) are written, Launched=True.
//     Insufficient capacity deletes the NodeClaim, so the provisioner reschedules its pods
//     (the cloud has already marked the offerings unavailable). Any other error sets
//     Launched=False (reason LaunchFailed) and retries every kLaunchRetry.
//  2. Registration: the Node whose spec.providerID is the claim's. The Node gets the
//     NodeClaim's labels (they win) and annotations, karpenter.sh/registered=true, the
//     NodeClaim's taints and startupTaints where missing, loses karpenter.sh/unregistered:
//     NoExecute, gains the karpenter.sh/termination finalizer and an ownerReference to the
//     NodeClaim; then status.nodeName is set and Registered=True.
//  3. Initialization: once the Node is Ready=True, carries none of the NodeClaim's
//     startupTaints nor an ephemeral taint (not-ready, unreachable, uninitialized,
//     unregistered), and every extended resource the NodeClaim requests has a non-zero
//     allocatable on it: label karpenter.sh/initialized=true on the Node, Initialized=True.
//  Liveness (upstream's numbers): a NodeClaim whose Launched condition has been False for
//  kLaunchTimeout, or that has not registered kRegistrationTimeout after its creation, is
//  deleted.
//
// Deletion (deletionTimestamp set, karpenter.sh/termination finalizer present):
//  a. the NodeClaim's Node (status.nodeName, or providerID) is deleted, and the controller
//     waits for it to be gone. Contract with the termination controller
//     (controllers/termination.*): the termination controller drains the Node and removes the
//     Node's finalizer; this controller only deletes the Node object and waits for it to go.
//     So pods are drained before the instance is terminated, as upstream orders it;
//  b. cloud.Delete(providerID) (kNotFound counts as done); InstanceTerminating=True is set
//     and the controller polls every kTerminationPoll until the cloud reports the instance
//     gone (kNotFound);
//  c. the finalizer is removed, and the NodeClaim goes.
//  A NodeClaim that never launched has no providerID: an instance the cloud launched for its
//  name anyway (a status write lost) is found in cloud.List() and terminated the same way.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "cloud/cloud_provider.h"
#include "controllers/controller.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::controllers {

class NodeClaimLifecycle final : public Controller {
 public:
  static constexpr std::string_view kName = "nodeclaim.lifecycle";
  static constexpr core::Duration kLaunchTimeout = std::chrono::minutes(5);
  static constexpr core::Duration kRegistrationTimeout = std::chrono::minutes(15);
  static constexpr core::Duration kLaunchRetry = std::chrono::seconds(10);
  static constexpr core::Duration kTerminationPoll = std::chrono::seconds(5);
  // While waiting for a Node to go, look again this often even without a watch event.
  static constexpr core::Duration kNodeDeletionPoll = std::chrono::seconds(30);

  // Prefer Register(). The ports and the clock must outlive the controller.
  NodeClaimLifecycle(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                     const core::Clock& clock);
  ~NodeClaimLifecycle() override;
  NodeClaimLifecycle(const NodeClaimLifecycle&) = delete;
  NodeClaimLifecycle& operator=(const NodeClaimLifecycle&) = delete;

  // Adds the controller to `manager`, watches NodeClaims (every change enqueues the claim) and
  // Nodes (a change enqueues the NodeClaim with the Node's providerID, or the NodeClaim that
  // owns it), and enqueues every existing NodeClaim (an informer's initial list). Returns it
  // (owned by the manager), or nullptr when the manager already has one.
  static NodeClaimLifecycle* Register(Manager& manager, kube::ClusterPort& cluster,
                                      cloud::CloudProvider& cloud, const core::Clock& clock);

  std::string_view Name() const override { return kName; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  using ClaimPtr = kube::ObjectPtr<api::NodeClaim>;
  using NodePtr = kube::ObjectPtr<api::Node>;

  void StartWatches();
  void OnNode(const api::Node& node);
  void Enqueue(const std::string& name, core::Duration delay = core::Duration::zero());

  // Each step returns a result when the reconcile should stop there.
  std::optional<ReconcileResult> Launch(ClaimPtr& claim);
  std::optional<ReconcileResult> Registration(ClaimPtr& claim);
  std::optional<ReconcileResult> Initialization(ClaimPtr& claim);
  ReconcileResult Finalize(const api::NodeClaim& claim);
  // Deletes the NodeClaim for a timeout (or ICE) and says so in the result.
  ReconcileResult DeleteClaim(const api::NodeClaim& claim);
  // The Node registered for `claim`, or nullptr.
  NodePtr FindNode(const api::NodeClaim& claim) const;
  // Patches the Node as registration wants it; false when the write failed.
  bool SyncNode(const api::NodeClaim& claim, const api::Node& node);

  Manager& manager_;
  kube::ClusterPort& cluster_;
  cloud::CloudProvider& cloud_;
  const core::Clock& clock_;
  std::optional<kube::WatchId> claim_watch_, node_watch_;
  // providerID -> NodeClaim name, kept from the NodeClaim watch, to map Node events to claims.
  std::map<std::string, std::string, std::less<>> claims_by_provider_id_;
};

// Adds the lifecycle controller to `manager` (NodeClaimLifecycle::Register).
void RegisterNodeClaimLifecycle(Manager& manager, kube::ClusterPort& cluster,
                                cloud::CloudProvider& cloud, const core::Clock& clock);

}  // namespace karpenter::controllers
