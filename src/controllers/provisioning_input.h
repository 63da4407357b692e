// The provisioner's view of the cluster: objects listed from the cluster port turned into the
// scheduler's input (scheduling::SchedulingInput). The sim layer builds the same input from
// decoded files (sim/internal/existing_capacity.cc); the controllers layer does not depend on
// sim, so this is its own, smaller version working on live objects:
//  - Nodes are existing capacity; a NodeClaim is joined to its Node by providerID or
//    status.nodeName, and without one is in-flight capacity (hostname = its name, labels from
//    its labels and single-valued requirements; allocatable from its status once launched,
//    else its spec.resources.requests, so the pods it was created for fit it and a second
//    provisioning pass does not launch for them again).
//  - NodePools are offered when they are not being deleted, have no Ready=False condition and
//    are not static (spec.replicas); each gets the cloud's catalog for it (with offerings the
//    unavailable-offerings cache holds marked unavailable, as upstream's instance-type provider
//    does) and in_use = the capacity of its nodes and in-flight NodeClaims, with `nodes`.
#pragma once

#include <memory>
#include <vector>

#include "api/model/namespace.h"
#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "api/model/workloads.h"
#include "catalog/catalog.h"
#include "catalog/unavailable_offerings.h"
#include "cloud/cloud_provider.h"
#include "kube/cluster.h"
#include "scheduling/cluster_nodes.h"
#include "scheduling/scheduler.h"

namespace karpenter::controllers {

// Whether the provisioner should find room for `pod`: not bound (no spec.nodeName), not
// terminating, not Succeeded/Failed, not a DaemonSet's pod nor a static (mirror) pod, and not
// nominated to a node by preemption (status.nominatedNodeName: kube-scheduler has made room
// for it already, as upstream's IsPreempting check says), and kube-scheduler has tried it and
// failed: condition PodScheduled with reason Unschedulable (upstream's FailedToSchedule), so a
// pod the scheduler can still place on a node is left to it.
bool IsProvisionable(const api::Pod& pod);

// Everything the provisioner lists, as the cluster port hands it out.
struct ClusterObjects {
  std::vector<kube::ObjectPtr<api::Pod>> pods;
  std::vector<kube::ObjectPtr<api::Node>> nodes;
  std::vector<kube::ObjectPtr<api::NodeClaim>> node_claims;
  std::vector<kube::ObjectPtr<api::NodePool>> node_pools;
  std::vector<kube::ObjectPtr<api::DaemonSet>> daemon_sets;
  std::vector<kube::ObjectPtr<api::Namespace>> namespaces;
};

// Lists every kind the provisioner reads.
ClusterObjects ListClusterObjects(kube::ClusterPort& cluster);

// The scheduler's input and what it points into. Not copyable (pointers would dangle); the
// objects it was built from must outlive it.
struct ProvisioningInput {
  ProvisioningInput() = default;
  ProvisioningInput(ProvisioningInput&&) = default;
  ProvisioningInput& operator=(ProvisioningInput&&) = default;
  ProvisioningInput(const ProvisioningInput&) = delete;
  ProvisioningInput& operator=(const ProvisioningInput&) = delete;

  std::vector<std::shared_ptr<const catalog::Catalog>> catalogs;  // one per NodePool offered
  scheduling::SchedulingInput input;
};

// Builds the input for `objects` (pending = the provisionable pods, in listing order).
// `unavailable` may be null (no capacity errors to honour). With `requirements`, the existing
// nodes' requirements come from (and are kept in) that cache of the caller's.
ProvisioningInput BuildProvisioningInput(const ClusterObjects& objects,
                                         const cloud::CloudProvider& cloud,
                                         const catalog::UnavailableOfferings* unavailable,
                                         core::Time now,
                                         scheduling::NodeRequirementsCache* requirements = nullptr);

// `catalog` with every offering `unavailable` holds at `now` marked unavailable; the same
// pointer when none is.
std::shared_ptr<const catalog::Catalog> WithUnavailableOfferings(
    std::shared_ptr<const catalog::Catalog> catalog,
    const catalog::UnavailableOfferings& unavailable, core::Time now);

}  // namespace karpenter::controllers
