#include "scheduling/volume_topology.h"

#include <algorithm>
#include <utility>

#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string ClaimText(std::string_view name) { return "persistentvolumeclaim " + Quoted(name); }

// The claim `volume` names, nullptr when the volume has no claim; fails when it is missing.
Result<const api::PersistentVolumeClaim*> ClaimOf(const api::Pod& pod, const api::Volume& volume,
                                                  const VolumeLookup& lookup) {
  const std::optional<std::string> name = ClaimNameOf(pod, volume);
  if (!name) return nullptr;
  const api::PersistentVolumeClaim* claim = lookup.FindClaim(pod.metadata.namespace_, *name);
  if (claim == nullptr) return Fail(ClaimText(*name) + " not found");
  return claim;
}

// The checks of a claim bound (or pre-bound) to spec.volumeName.
Result<void> ValidateBoundClaim(const api::PersistentVolumeClaim& claim,
                                const VolumeLookup& lookup) {
  const std::string prefix =
      ClaimText(claim.metadata.name) + " is bound to persistentvolume " + Quoted(claim.volume_name);
  const api::PersistentVolume* volume = lookup.FindVolume(claim.volume_name);
  if (volume == nullptr) return Fail(prefix + ", which is not found");
  if (volume->metadata.deletion_timestamp) return Fail(prefix + ", which is being deleted");
  // As kube-scheduler, a claim whose binding the PV controller has not completed is not bound.
  if (!claim.BindCompleted()) {
    return Fail(prefix + " but the binding is not complete (no " +
                std::string(api::kBindCompletedAnnotation) + " annotation)");
  }
  return {};
}

// The checks of a claim whose volume is yet to be provisioned.
Result<void> ValidateUnboundClaim(const api::PersistentVolumeClaim& claim,
                                  const VolumeLookup& lookup) {
  const std::string text = ClaimText(claim.metadata.name);
  const std::string class_name = claim.storage_class_name.value_or("");
  if (class_name.empty()) return Fail(text + " is unbound and names no storage class");
  const api::StorageClass* storage_class = lookup.FindStorageClass(class_name);
  if (storage_class == nullptr) {
    return Fail(text + ": storageclass " + Quoted(class_name) + " not found");
  }
  // An Immediate claim gets its volume wherever the provisioner likes, before any pod runs:
  // there is nothing to schedule until it is bound.
  if (storage_class->EffectiveVolumeBindingMode() == api::VolumeBindingMode::kImmediate) {
    return Fail(text + " is unbound and storageclass " + Quoted(class_name) +
                " has volumeBindingMode Immediate: the claim must be bound first");
  }
  return {};
}

std::vector<core::NodeSelectorRequirement> PersistentVolumeRequirements(
    const api::PersistentVolume& volume) {
  if (volume.node_affinity.empty()) return {};
  std::vector<core::NodeSelectorRequirement> requirements =
      volume.node_affinity.front().match_expressions;
  if (volume.local_path || volume.host_path) {
    std::erase_if(requirements, [](const core::NodeSelectorRequirement& requirement) {
      return requirement.key == kLabelHostname;
    });
  }
  return requirements;
}

std::vector<core::NodeSelectorRequirement> StorageClassRequirements(
    const api::StorageClass& storage_class) {
  std::vector<core::NodeSelectorRequirement> requirements;
  if (storage_class.allowed_topologies.empty()) return requirements;
  for (const auto& expression : storage_class.allowed_topologies.front().match_label_expressions) {
    requirements.push_back({expression.key, core::Operator::In, expression.values, std::nullopt});
  }
  return requirements;
}

// The requirements of one volume (upstream's getRequirements for one volume).
Result<std::vector<core::NodeSelectorRequirement>> RequirementsOf(const api::Pod& pod,
                                                                  const api::Volume& volume,
                                                                  const VolumeLookup& lookup) {
  if (volume.ephemeral && !pod.spec.node_name.empty()) return {};
  Result<const api::PersistentVolumeClaim*> claim = ClaimOf(pod, volume, lookup);
  if (!claim) return std::unexpected(claim.error());
  if (*claim == nullptr) return {};
  if (!(*claim)->volume_name.empty()) {
    const api::PersistentVolume* bound = lookup.FindVolume((*claim)->volume_name);
    if (bound == nullptr) {
      return Fail(ClaimText((*claim)->metadata.name) + " is bound to persistentvolume " +
                  Quoted((*claim)->volume_name) + ", which is not found");
    }
    return PersistentVolumeRequirements(*bound);
  }
  const std::string class_name = (*claim)->storage_class_name.value_or("");
  if (class_name.empty()) return {};
  const api::StorageClass* storage_class = lookup.FindStorageClass(class_name);
  if (storage_class == nullptr) {
    return Fail(ClaimText((*claim)->metadata.name) + ": storageclass " + Quoted(class_name) +
                " not found");
  }
  return StorageClassRequirements(*storage_class);
}

}  // namespace

VolumeLookup::VolumeLookup(const std::vector<api::PersistentVolumeClaim>& claims,
                           const std::vector<api::PersistentVolume>& volumes,
                           const std::vector<api::StorageClass>& classes) {
  for (const api::PersistentVolumeClaim& claim : claims) Add(claim);
  for (const api::PersistentVolume& volume : volumes) Add(volume);
  for (const api::StorageClass& storage_class : classes) Add(storage_class);
}

void VolumeLookup::Add(const api::PersistentVolumeClaim& claim) {
  claims_[{claim.metadata.namespace_, claim.metadata.name}] = &claim;
}

void VolumeLookup::Add(const api::PersistentVolume& volume) {
  volumes_[volume.metadata.name] = &volume;
}

void VolumeLookup::Add(const api::StorageClass& storage_class) {
  classes_[storage_class.metadata.name] = &storage_class;
}

const api::PersistentVolumeClaim* VolumeLookup::FindClaim(std::string_view ns,
                                                          std::string_view name) const {
  auto it = claims_.find({std::string(ns), std::string(name)});
  return it == claims_.end() ? nullptr : it->second;
}

const api::PersistentVolume* VolumeLookup::FindVolume(std::string_view name) const {
  auto it = volumes_.find(name);
  return it == volumes_.end() ? nullptr : it->second;
}

const api::StorageClass* VolumeLookup::FindStorageClass(std::string_view name) const {
  auto it = classes_.find(name);
  return it == classes_.end() ? nullptr : it->second;
}

std::optional<std::string> ClaimNameOf(const api::Pod& pod, const api::Volume& volume) {
  if (volume.claim_name) return *volume.claim_name;
  if (volume.ephemeral) return pod.metadata.name + "-" + volume.name;
  return std::nullopt;
}

Result<void> ValidateVolumes(const api::Pod& pod, const VolumeLookup& lookup) {
  for (const api::Volume& volume : pod.spec.volumes) {
    Result<const api::PersistentVolumeClaim*> found = ClaimOf(pod, volume, lookup);
    if (!found) return std::unexpected(found.error());
    const api::PersistentVolumeClaim* claim = *found;
    if (claim == nullptr) continue;  // not a claim-backed volume
    const std::string text = ClaimText(claim->metadata.name);
    if (claim->metadata.deletion_timestamp) return Fail(text + " is being deleted");
    if (claim->phase == api::kClaimLost) {
      const std::string volume_text =
          claim->volume_name.empty() ? "" : " " + Quoted(claim->volume_name);
      return Fail(text + " is Lost: its persistentvolume" + volume_text + " no longer exists");
    }
    Result<void> valid = claim->volume_name.empty() ? ValidateUnboundClaim(*claim, lookup)
                                                    : ValidateBoundClaim(*claim, lookup);
    if (!valid) return valid;
  }
  return {};
}

Result<std::vector<core::NodeSelectorRequirement>> VolumeRequirements(const api::Pod& pod,
                                                                      const VolumeLookup& lookup) {
  std::vector<core::NodeSelectorRequirement> requirements;
  for (const api::Volume& volume : pod.spec.volumes) {
    Result<std::vector<core::NodeSelectorRequirement>> more = RequirementsOf(pod, volume, lookup);
    if (!more) return std::unexpected(more.error());
    requirements.insert(requirements.end(), more->begin(), more->end());
  }
  return requirements;
}

api::Pod InjectVolumeRequirements(const api::Pod& pod,
                                  const std::vector<core::NodeSelectorRequirement>& requirements) {
  api::Pod out = pod;
  if (requirements.empty()) return out;
  std::vector<api::NodeSelectorTerm>& terms = out.spec.affinity.node_affinity.required;
  if (terms.empty()) terms.emplace_back();
  for (api::NodeSelectorTerm& term : terms) {
    term.match_expressions.insert(term.match_expressions.end(), requirements.begin(),
                                  requirements.end());
  }
  return out;
}

Result<api::Pod> ApplyVolumeTopology(const api::Pod& pod, const VolumeLookup& lookup) {
  if (Result<void> valid = ValidateVolumes(pod, lookup); !valid) {
    return std::unexpected(valid.error());
  }
  Result<std::vector<core::NodeSelectorRequirement>> requirements = VolumeRequirements(pod, lookup);
  if (!requirements) return std::unexpected(requirements.error());
  return InjectVolumeRequirements(pod, *requirements);
}

}  // namespace karpenter::scheduling
