// The garbage collection controller: a singleton that cleans up after lost writes and after
// objects deleted out from under Karpenter, combining upstream's two collectors. Each pass:
//  1. Leaked instances (the AWS provider's nodeclaim garbage collector): a cloud instance,
//     not shutting down, launched more than kInstanceGracePeriod (30 s) ago, that no NodeClaim
//     claims is terminated (cloud.Delete), and the Node registered for it (same providerID)
//     is deleted. Claimed: a NodeClaim's status.providerID names it, or (our addition) the
//     NodeClaim it was launched for still exists and has no providerID yet, since the
//     lifecycle controller adopts that instance rather than launch another.
//  2. Vanished instances (core's nodeclaim.garbagecollection): a NodeClaim that is
//     Registered=True, not being deleted, and whose providerID the cloud no longer lists as
//     live (absent, or shutting down) is deleted, unless its Node still reports Ready=True
//     (the kubelet evidently runs, so the cloud's listing is not trusted over it).
//  3. Orphaned Nodes (our addition; upstream leaves this to the ownerReference garbage
//     collector and to step 1): a Node labelled karpenter.sh/nodepool, not being deleted,
//     created more than kNodeGracePeriod ago, that no NodeClaim names (by providerID,
//     status.nodeName, or as the Node's owner) is deleted; the termination controller drains
//     it and step 1 then terminates its instance.
//
// Cadence, as the AWS provider's collector: every kStartupInterval (10 s) for the first
// kStartupPasses (20) passes, then every kInterval (2 min), core's collector's period.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "cloud/cloud_provider.h"
#include "controllers/controller.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::controllers {

// What the collector has done since it started (for reports and tests).
struct GarbageCollectionCounts {
  size_t passes = 0;
  size_t instances_terminated = 0;  // step 1
  size_t nodes_deleted = 0;         // Nodes of leaked instances (step 1) and orphans (step 3)
  size_t node_claims_deleted = 0;   // step 2
};

class GarbageCollectionController final : public Controller {
 public:
  static constexpr std::string_view kName = "garbagecollection";
  static constexpr std::string_view kKey = "garbagecollection";
  static constexpr core::Duration kInstanceGracePeriod = std::chrono::seconds(30);
  static constexpr core::Duration kNodeGracePeriod = std::chrono::seconds(30);
  static constexpr core::Duration kStartupInterval = std::chrono::seconds(10);
  static constexpr size_t kStartupPasses = 20;
  static constexpr core::Duration kInterval = std::chrono::minutes(2);

  // Prefer Register(). The ports and the clock must outlive the controller.
  GarbageCollectionController(kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                              const core::Clock& clock)
      : cluster_(cluster), cloud_(cloud), clock_(clock) {}

  // Adds the controller to `manager` and queues its first pass now. Returns it (owned by the
  // manager), or nullptr when the manager already has one.
  static GarbageCollectionController* Register(Manager& manager, kube::ClusterPort& cluster,
                                               cloud::CloudProvider& cloud,
                                               const core::Clock& clock);

  std::string_view Name() const override { return kName; }
  // One pass (see the file comment); requeues by the cadence.
  ReconcileResult Reconcile(const std::string& key) override;

  const GarbageCollectionCounts& counts() const { return counts_; }

 private:
  // What a pass needs of a live (pending or running) instance: listed without its labels.
  struct LiveInstance {
    std::string provider_id;
    std::string node_claim;
    core::Time launch_time;
  };
  void CollectInstances(const std::vector<LiveInstance>& instances);
  void CollectNodeClaims(const std::vector<LiveInstance>& instances);
  void CollectNodes();

  kube::ClusterPort& cluster_;
  cloud::CloudProvider& cloud_;
  const core::Clock& clock_;
  GarbageCollectionCounts counts_;
};

// Adds the garbage collection controller to `manager` (GarbageCollectionController::Register).
void RegisterGarbageCollection(Manager& manager, kube::ClusterPort& cluster,
                               cloud::CloudProvider& cloud, const core::Clock& clock);

}  // namespace karpenter::controllers
