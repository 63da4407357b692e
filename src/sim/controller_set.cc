#include "sim/controller_set.h"

#include "controllers/node_claim_lifecycle.h"
#include "controllers/node_pool_status.h"
#include "controllers/pod_events.h"
#include "controllers/termination.h"

namespace karpenter::sim {

ControllerSet RegisterAllControllers(controllers::Manager& manager, kube::ClusterPort& cluster,
                                     cloud::SimulatedCloud& cloud, const core::Clock& clock,
                                     const ControllerSetOptions& options) {
  ControllerSet set;
  controllers::ProvisionerOptions provisioner;
  provisioner.batch_idle = options.batch_idle;
  provisioner.batch_max = options.batch_max;
  provisioner.unavailable_offerings = &cloud.unavailable_offerings();
  set.provisioner = controllers::Provisioner::Register(manager, cluster, cloud, clock, provisioner);
  controllers::RegisterNodeClaimLifecycle(manager, cluster, cloud, clock);
  controllers::RegisterTermination(manager, cluster, clock);
  controllers::DisruptionControllerOptions disruption;
  disruption.spot_to_spot = options.spot_to_spot;
  disruption.unavailable_offerings = &cloud.unavailable_offerings();
  set.disruption =
      controllers::DisruptionController::Register(manager, cluster, cloud, clock, disruption);
  controllers::RegisterPodEvents(manager, cluster, clock);
  set.interruption = controllers::InterruptionController::Register(manager, cluster, cloud, clock,
                                                                   options.interruption_poll);
  set.garbage_collection =
      controllers::GarbageCollectionController::Register(manager, cluster, cloud, clock);
  controllers::RegisterNodePoolStatus(manager, cluster, clock);
  return set;
}

}  // namespace karpenter::sim
