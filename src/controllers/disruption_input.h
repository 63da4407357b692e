// The disruption controller's view of the cluster: objects listed from the cluster port turned
// into the disruption library's input (disruption::Snapshot and disruption::SchedulingView), as
// `karpenter disrupt` builds them from files (cli/disrupt_command.cc), but from the ports:
//  - the snapshot holds copies of the Nodes, NodeClaims, bound pods, PDBs, NodePools and
//    EC2NodeClasses, and one catalog for the candidates' instance types and prices: the
//    NodePools' catalogs from the cloud (cloud.InstanceTypes), merged by instance-type name
//    (the first NodePool's type wins) when they differ;
//  - the scheduling view is the provisioner's input (controllers/provisioning_input.h): existing
//    Nodes and in-flight NodeClaims as the provisioner sees them (upstream's consolidation
//    simulates against in-flight capacity too), the offered NodePools with their own catalogs
//    (unavailable offerings marked) and limits, DaemonSets and namespace labels;
//  - pods waiting for a home (pending pods, and the reschedulable pods of nodes being deleted or
//    tainted for disruption): upstream's simulations schedule them along with the candidates'
//    pods and never disrupt a node nominated for them. Here they are placed first, as the
//    provisioner would (scheduling::Schedule on the provisioner's input): the room they take
//    on existing and in-flight capacity is taken in the view, and the registered nodes they
//    land on are nominated in the snapshot (so not candidates). Without this an in-flight
//    NodeClaim launched for a pending pod, or a replacement about to receive a drained node's
//    pods, would look empty and be consolidated.
#pragma once

#include <memory>
#include <vector>

#include "api/model/ec2_node_class.h"
#include "api/model/pod_disruption_budget.h"
#include "catalog/unavailable_offerings.h"
#include "cloud/cloud_provider.h"
#include "controllers/provisioning_input.h"
#include "core/clock.h"
#include "disruption/consolidation.h"
#include "disruption/snapshot.h"
#include "kube/cluster.h"

namespace karpenter::controllers {

// Everything one disruption pass reads. The view points into `objects`, `provisioning` and
// the catalogs; candidates found in `snapshot` point into it: so the input is built in place
// and never moves (BuildDisruptionInput hands out a unique_ptr).
struct DisruptionInput {
  DisruptionInput() = default;
  DisruptionInput(const DisruptionInput&) = delete;
  DisruptionInput& operator=(const DisruptionInput&) = delete;

  ClusterObjects objects;
  std::vector<kube::ObjectPtr<api::PodDisruptionBudget>> pdbs;
  std::vector<kube::ObjectPtr<api::EC2NodeClass>> node_classes;
  ProvisioningInput provisioning;
  disruption::Snapshot snapshot;
  disruption::SchedulingView view;

  // The offered NodePool named `name` (one the view may launch from), or nullptr.
  const api::NodePool* OfferedNodePool(std::string_view name) const;
};

// Lists the cluster and builds the input at `now`. `unavailable` and `requirements` (the
// caller's cache of node requirements) may be null.
std::unique_ptr<DisruptionInput> BuildDisruptionInput(
    kube::ClusterPort& cluster, const cloud::CloudProvider& cloud,
    const catalog::UnavailableOfferings* unavailable, core::Time now,
    scheduling::NodeRequirementsCache* requirements = nullptr);

// One catalog holding every instance type of `catalogs` (by name, the first catalog's type
// wins); the single catalog itself when they are all the same one; nullptr when empty.
std::shared_ptr<const catalog::Catalog> MergeCatalogs(
    const std::vector<std::shared_ptr<const catalog::Catalog>>& catalogs);

}  // namespace karpenter::controllers
