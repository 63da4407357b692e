// The interruption controller: acts on the cloud's spot interruption warnings, as the AWS
// provider's interruption controller (aws/karpenter-provider-aws pkg/controllers/interruption)
// does with the EC2 events it reads from its SQS queue.
//
// Polling: upstream long-polls the queue (20 s waits, up to 10 messages at a time) and asks
// again at once, so a warning is acted on within about a second of its arrival. Here the
// cloud port is polled every poll interval of (virtual) time, kDefaultPollInterval (2 s)
// unless told otherwise: a warning gives two minutes' notice, so a couple of seconds matter
// little, while a shorter interval would make a virtual-time run stop that much more often.
//
// For each warning (cloud::InterruptionWarning, a spot interruption):
//  - the NodeClaim whose status.providerID is the warning's is looked up; a warning for an
//    instance no NodeClaim names is dropped (upstream acts only on NodeClaims);
//  - the offering being reclaimed (the NodeClaim's instance-type and zone labels, else the
//    instance's, with capacity type spot) is marked unavailable through
//    CloudProvider::MarkUnavailable, so the replacement avoids the pool being reclaimed;
//  - the NodeClaim is deleted unless it is already being deleted. The termination controller
//    then taints and drains its Node, the lifecycle controller terminates the instance, and
//    the provisioner launches capacity for the evicted pods.
// Upstream also handles scheduled-change, state-change and rebalance events; the cloud port
// reports only spot interruptions.
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

// What the controller has done since it started (for reports).
struct InterruptionCounts {
  size_t received = 0;          // warnings received from the cloud
  size_t handled = 0;           // warnings whose instance a NodeClaim names
  size_t ignored = 0;           // warnings for instances no NodeClaim names
  size_t deleted = 0;           // NodeClaims this controller deleted
  size_t offerings_marked = 0;  // offerings marked unavailable in the cloud's cache
};

class InterruptionController final : public Controller {
 public:
  static constexpr std::string_view kName = "interruption";
  static constexpr std::string_view kKey = "interruption";
  static constexpr core::Duration kDefaultPollInterval = std::chrono::seconds(2);

  // Prefer Register(). The ports must outlive the controller; a poll interval that is not
  // positive is replaced by kDefaultPollInterval.
  InterruptionController(kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                         core::Duration poll_interval = kDefaultPollInterval);

  // Adds the controller to `manager` and queues its first poll now (the manager's clock says
  // when; `clock` is taken for the registration functions' common shape). Returns it (owned by
  // the manager), or nullptr when the manager already has one.
  static InterruptionController* Register(Manager& manager, kube::ClusterPort& cluster,
                                          cloud::CloudProvider& cloud, const core::Clock& clock,
                                          core::Duration poll_interval = kDefaultPollInterval);

  std::string_view Name() const override { return kName; }
  // Receives the pending warnings, acts on each (see the file comment), and polls again after
  // the poll interval.
  ReconcileResult Reconcile(const std::string& key) override;

  const InterruptionCounts& counts() const { return counts_; }
  core::Duration poll_interval() const { return poll_interval_; }

 private:
  void Handle(const api::NodeClaim& claim, const cloud::InterruptionWarning& warning);

  kube::ClusterPort& cluster_;
  cloud::CloudProvider& cloud_;
  core::Duration poll_interval_;
  InterruptionCounts counts_;
};

// Adds the interruption controller to `manager` (InterruptionController::Register with the
// default poll interval).
void RegisterInterruption(Manager& manager, kube::ClusterPort& cluster,
                          cloud::CloudProvider& cloud, const core::Clock& clock);

}  // namespace karpenter::controllers
