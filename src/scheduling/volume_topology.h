// Volume topology: where a pod's storage lets it run. Before scheduling a pod, upstream
// Karpenter's provisioner checks the pod's PersistentVolumeClaims (ignoring the pod when they
// cannot work yet) and adds the zone (or other topology) of their volumes to the pod's required
// node affinity, so every NodeClaim it launches for the pod can reach the storage
// (sigs.k8s.io/karpenter pkg/controllers/provisioning/scheduling/volumetopology.go,
// ValidatePersistentVolumeClaims and Inject). Pure functions of the pod and the storage objects.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/model/persistent_volume.h"
#include "api/model/pod.h"
#include "api/model/storage_class.h"
#include "core/requirement.h"
#include "core/result.h"

namespace karpenter::scheduling {

// The storage objects of a cluster by key: claims by namespace and name, volumes and classes
// by name. Holds pointers: the objects must outlive the lookup. Adding an object with a key
// already present replaces the earlier one.
class VolumeLookup {
 public:
  VolumeLookup() = default;
  VolumeLookup(const std::vector<api::PersistentVolumeClaim>& claims,
               const std::vector<api::PersistentVolume>& volumes,
               const std::vector<api::StorageClass>& classes);

  void Add(const api::PersistentVolumeClaim& claim);
  void Add(const api::PersistentVolume& volume);
  void Add(const api::StorageClass& storage_class);

  // nullptr when absent.
  const api::PersistentVolumeClaim* FindClaim(std::string_view ns, std::string_view name) const;
  const api::PersistentVolume* FindVolume(std::string_view name) const;
  const api::StorageClass* FindStorageClass(std::string_view name) const;

 private:
  std::map<std::pair<std::string, std::string>, const api::PersistentVolumeClaim*> claims_;
  std::map<std::string, const api::PersistentVolume*, std::less<>> volumes_;
  std::map<std::string, const api::StorageClass*, std::less<>> classes_;
};

// The name of the claim behind `volume` of `pod`: persistentVolumeClaim.claimName, or
// "<pod name>-<volume name>" for a generic ephemeral volume (the name the ephemeral volume
// controller gives its claim); nullopt for every other volume source (emptyDir, hostPath, ...).
std::optional<std::string> ClaimNameOf(const api::Pod& pod, const api::Volume& volume);

// Whether Karpenter would provision for `pod` as far as its volumes go (upstream's
// ValidatePersistentVolumeClaims, which mirrors what kube-scheduler rejects). Checks each claim
// the pod's volumes name, in volume order, and fails with the first problem:
//  - the claim does not exist in the pod's namespace, or is being deleted, or is Lost;
//  - it is bound (spec.volumeName) to a volume that does not exist or is being deleted, or its
//    binding is not complete (no pv.kubernetes.io/bind-completed annotation);
//  - it is unbound and names no storage class, or one that does not exist, or one whose
//    volumeBindingMode is Immediate (such a claim must be bound first; only
//    WaitForFirstConsumer claims are bound where the pod lands).
// The message names the claim: `persistentvolumeclaim "data-db-0" not found`.
Result<void> ValidateVolumes(const api::Pod& pod, const VolumeLookup& lookup);

// The node requirements `pod`'s volumes add (upstream's getRequirements), in volume order:
//  - a bound claim: the matchExpressions of the FIRST required node selector term of its
//    volume (terms are alternatives; upstream keeps only the first), without the hostname
//    expressions of a local or hostPath volume (a new node can never be the old one);
//  - an unbound claim with a storage class: the FIRST allowedTopologies term of the class, each
//    expression as `key In values`;
//  - anything else adds nothing. A generic ephemeral volume of a pod already bound to a node
//    adds nothing either (its claim is recreated when the pod is, as upstream now skips it).
// Fails when a claim, its volume or its storage class is missing (ValidateVolumes catches all
// of these first).
Result<std::vector<core::NodeSelectorRequirement>> VolumeRequirements(const api::Pod& pod,
                                                                      const VolumeLookup& lookup);

// A copy of `pod` with `requirements` appended to the matchExpressions of EVERY required node
// affinity term, creating one empty term first when the pod has none (as upstream's Inject):
// the terms are alternatives, so the volume's requirements must hold in each, and relaxing
// preferences can never drop them. An empty `requirements` leaves the copy unchanged.
api::Pod InjectVolumeRequirements(const api::Pod& pod,
                                  const std::vector<core::NodeSelectorRequirement>& requirements);

// ValidateVolumes, then VolumeRequirements, then InjectVolumeRequirements: the pod as Karpenter
// schedules it, or why Karpenter ignores it.
Result<api::Pod> ApplyVolumeTopology(const api::Pod& pod, const VolumeLookup& lookup);

}  // namespace karpenter::scheduling
