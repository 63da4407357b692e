// The controllers a virtual cluster runs: Karpenter's, registered on one manager in one place,
// so a replay, a test and (later) the standalone mode run the same set.
#pragma once

#include "cloud/simulated_cloud.h"
#include "controllers/disruption_controller.h"
#include "controllers/garbage_collection.h"
#include "controllers/interruption.h"
#include "controllers/manager.h"
#include "controllers/provisioner.h"
#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::sim {

struct ControllerSetOptions {
  // Batching windows of the provisioner (its unavailable-offerings cache is the cloud's).
  core::Duration batch_idle = std::chrono::seconds(1);
  core::Duration batch_max = std::chrono::seconds(10);
  // Upstream's SpotToSpotConsolidation feature gate.
  bool spot_to_spot = false;
  // How often the interruption controller looks for warnings on its own. Upstream long-polls
  // its queue; here warnings only come from injected interruptions, and Driver::Interrupt wakes
  // the controller at once, so a slow poll costs nothing but saves an instant every 2 s.
  core::Duration interruption_poll = std::chrono::minutes(1);
};

// The controllers registered, for reports and tests (owned by the manager; null when one
// could not be registered, which only happens on a manager that already had it).
struct ControllerSet {
  controllers::Provisioner* provisioner = nullptr;
  controllers::DisruptionController* disruption = nullptr;
  controllers::InterruptionController* interruption = nullptr;
  controllers::GarbageCollectionController* garbage_collection = nullptr;
};

// Registers every controller on `manager`, in the order they run at an instant: provisioner,
// NodeClaim lifecycle, node termination, disruption (with expiry), pod events (consolidateAfter
// bookkeeping), interruption, garbage collection, NodePool status. The offerings cache is the
// cloud's, shared by the provisioner and disruption as upstream shares it. All references must
// outlive the manager's use of them.
ControllerSet RegisterAllControllers(controllers::Manager& manager, kube::ClusterPort& cluster,
                                     cloud::SimulatedCloud& cloud, const core::Clock& clock,
                                     const ControllerSetOptions& options = {});

}  // namespace karpenter::sim
