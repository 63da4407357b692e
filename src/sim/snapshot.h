// The cluster a simulation starts from, in the scheduler's terms: ready NodePools with their
// catalogs, existing and in-flight capacity with the pods bound to it, DaemonSets, and the
// pending pods grouped into provisioning rounds. Built from decoded objects (sim/objects.h).
#pragma once

#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/diagnostic.h"
#include "catalog/aws_catalog.h"
#include "catalog/catalog.h"
#include "core/result.h"
#include "scheduling/scheduler.h"
#include "sim/objects.h"

namespace karpenter::sim {

// A pod annotation: "N" (a positive integer) provisions the pod in round N. Rounds run in
// ascending order; pods without the annotation are in round 1.
inline constexpr std::string_view kRoundAnnotation = "sim.karpenter-cpp.io/round";
inline constexpr int kDefaultRound = 1;

// A pending pod Karpenter does not provision for, and why. As upstream, a pod whose volumes
// cannot be used yet (scheduling::ValidateVolumes) is left out of scheduling.
struct RejectedPod {
  const api::Pod* pod = nullptr;
  int round = kDefaultRound;
  std::string reason;
};

struct SnapshotOptions {
  // The AWS region whose catalog NodePools launch from (unless InstanceType documents give a
  // custom catalog).
  std::string region = "us-east-1";
  // How spot prices are known: the catalog layer's model unless observations are given.
  catalog::PricingSettings pricing;
};

// Owns everything the scheduler's input points into. Not copyable (the pointers would dangle);
// moving keeps them valid.
struct Snapshot {
  Snapshot() = default;
  Snapshot(Snapshot&&) = default;
  Snapshot& operator=(Snapshot&&) = default;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  Objects objects;
  // The input's pods, then the replicas of its workloads (sim/workload_pods.h).
  std::deque<api::Pod> pods;
  // One catalog per distinct EC2NodeClass capacity setting, or the one custom catalog.
  std::deque<catalog::Catalog> catalogs;
  bool custom_catalog = false;

  // NodePools that are ready (their NodeClass exists and its settings are usable), in input
  // order, each with its catalog and the capacity it already has (existing nodes and in-flight
  // NodeClaims, with `nodes`).
  std::vector<scheduling::NodePoolOption> node_pools;
  // Nodes, and NodeClaims that have no Node yet (in flight), with their bound pods; in input
  // order (nodes first).
  std::vector<scheduling::ExistingNode> existing_nodes;
  std::vector<const api::DaemonSet*> daemon_sets;
  // Every namespace mentioned, with its labels (kubernetes.io/metadata.name included, as the
  // API server adds it).
  std::map<std::string, core::Labels> namespace_labels;
  // Pods to provision, by round (ascending), each round in input order. Their required node
  // affinity includes their volumes' topology (scheduling::InjectVolumeRequirements).
  std::map<int, std::vector<const api::Pod*>> rounds;
  // Pending pods left out of `rounds` because of their volumes, in input order.
  std::vector<RejectedPod> rejected;

  // What the build left out or assumed: NodePools that are not ready, pods bound to nodes that
  // are not in the input, malformed round annotations, ... (warnings; an unusable EC2NodeClass
  // is an error).
  std::vector<api::Diagnostic> diagnostics;
};

// Builds the snapshot. Fails only when no catalog can be had: an unknown region (when some
// NodePool needs the AWS catalog) or a custom catalog CatalogFromDocuments rejects.
//  - NodePools: ready when spec.template.spec.nodeClassRef names an EC2NodeClass of the input
//    (with a custom catalog, a reference to another kind, which karpenter-cpp does not read, is
//    taken as ready); otherwise left out with a warning, as upstream marks them not ready.
//  - Catalogs: the custom catalog for every NodePool, or the AWS catalog of the region with the
//    NodeClass's settings (catalog::NodeSettingsFromNodeClass).
//  - Nodes are existing capacity; a NodeClaim is joined to its Node by status.nodeName or
//    providerID, and without one is in-flight capacity (hostname = its name, labels from its
//    labels and single-valued requirements, allocatable from its status or its instance type).
//  - Pods: bound (spec.nodeName) to their node; unbound ones are pending, except those of
//    DaemonSets and nodes (static pods), and terminal or terminating ones.
//  - Volumes: as upstream's provisioner, a pending pod whose PersistentVolumeClaims fail
//    scheduling::ValidateVolumes is `rejected` (a claim missing from the input counts as not
//    existing, StatefulSet replicas' claims included); the others get their volumes'
//    requirements in every required node affinity term (scheduling::ApplyVolumeTopology).
//    Before that, an unbound claim without storageClassName gets the default StorageClass, as
//    the API server assigns it (the newest class marked is-default-class, then by name).
Result<Snapshot> BuildSnapshot(Objects objects, const SnapshotOptions& options = {});

}  // namespace karpenter::sim
